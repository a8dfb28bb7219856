// The only place that names every platform backend.
#include "platform/hosted_platform.h"
#include "platform/inproc/inproc_platform.h"

namespace unum {

Result<std::unique_ptr<HostedPlatform>> OpenPlatform(const std::string& url) {
  if (url.rfind("inproc:", 0) == 0) {
    UNUM_ASSIGN_OR_RETURN(InprocOptions options, ParseInprocUrl(url));
    return std::unique_ptr<HostedPlatform>(
        std::make_unique<InprocPlatform>(options));
  }
  return Status::InvalidArgument("unknown platform URL \"" + url +
                                 "\" (supported: inproc://)");
}

}  // namespace unum
