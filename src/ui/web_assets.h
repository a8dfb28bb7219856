// The web view's files (src/ui/web/), compiled in by embed_assets.cmake.
#ifndef UNUM_UI_WEB_ASSETS_H_
#define UNUM_UI_WEB_ASSETS_H_

namespace unum::ui {

extern const char kIndexHtml[];
extern const char kAppJs[];
extern const char kStyleCss[];

}  // namespace unum::ui

#endif  // UNUM_UI_WEB_ASSETS_H_
