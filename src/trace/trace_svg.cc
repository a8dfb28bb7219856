// TraceSvg (see session_trace.h): the Gantt chart, written as SVG text.
#include <fmt/core.h>

#include <algorithm>
#include <set>
#include <utility>

#include "trace/session_trace.h"

namespace unum::trace {
namespace {

constexpr int kWidth = 960;
constexpr int kLabelWidth = 260;
constexpr int kChartWidth = kWidth - kLabelWidth - 20;
constexpr int kBandHeight = 60;  // deliveries running at once
constexpr int kRowHeight = 18;
constexpr int kTop = 30;

std::string Xml(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        // Control characters are not allowed in XML 1.0.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') {
          out += ' ';
        } else {
          out += c;
        }
    }
  }
  return out;
}

const char* StatusColor(const std::string& status) {
  if (status == "ok") return "#43a047";
  if (status == "failed") return "#e53935";
  if (status == "lost_race") return "#fb8c00";
  return "#9e9e9e";  // duplicate_skipped
}

}  // namespace

std::string TraceSvg(const SessionTrace& t) {
  const size_t n = t.events.size();
  const int rows_top = kTop + kBandHeight + 20;
  const int height = rows_top + static_cast<int>(n) * kRowHeight + 40;
  const double span = std::max<int64_t>(t.end_us - t.start_us, 1);
  auto x = [&](int64_t us) {
    return kLabelWidth + (us - t.start_us) / span * kChartWidth;
  };
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" "
      "viewBox=\"0 0 {} {}\" font-family=\"Helvetica, Arial, sans-serif\" "
      "font-size=\"11\">\n"
      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n",
      kWidth, height, kWidth, height);
  svg += fmt::format(
      "<text x=\"8\" y=\"18\" font-size=\"13\" font-weight=\"bold\">session "
      "{} ({}, {} deliveries, {:.1f} ms)</text>\n",
      Xml(t.session), SessionStateName(t.state), n, span / 1000.0);

  // Deliveries running at once over time: a step curve.
  std::vector<std::pair<int64_t, int>> edges;
  for (const TraceEvent& e : t.events) {
    edges.emplace_back(e.start_us, +1);
    edges.emplace_back(std::max(e.end_us, e.start_us), -1);
  }
  std::sort(edges.begin(), edges.end());
  int running = 0, widest = 0;
  for (const auto& [when, d] : edges) {
    running += d;
    widest = std::max(widest, running);
  }
  const int band_bottom = kTop + kBandHeight;
  if (widest > 0) {
    std::string points = fmt::format("{:.1f},{} ", x(t.start_us), band_bottom);
    running = 0;
    for (const auto& [when, d] : edges) {
      const double y_before =
          band_bottom - static_cast<double>(running) / widest * kBandHeight;
      running += d;
      const double y_after =
          band_bottom - static_cast<double>(running) / widest * kBandHeight;
      points += fmt::format("{:.1f},{:.1f} {:.1f},{:.1f} ", x(when), y_before,
                            x(when), y_after);
    }
    points += fmt::format("{:.1f},{}", x(t.end_us), band_bottom);
    svg += fmt::format(
        "<polygon id=\"concurrency\" points=\"{}\" fill=\"#90caf9\" "
        "stroke=\"#1565c0\"/>\n",
        points);
  }
  svg += fmt::format(
      "<text x=\"8\" y=\"{}\">running at once</text>\n"
      "<text x=\"8\" y=\"{}\" fill=\"#555\">(max {})</text>\n",
      kTop + kBandHeight / 2, kTop + kBandHeight / 2 + 14, widest);

  // One bar per delivery; the critical path outlined.
  const std::vector<size_t> path = CriticalPath(t);
  const std::set<size_t> on_path(path.begin(), path.end());
  for (size_t i = 0; i < n; ++i) {
    const TraceEvent& e = t.events[i];
    const int y = rows_top + static_cast<int>(i) * kRowHeight;
    const double x0 = x(e.start_us);
    const double w = std::max(1.0, x(e.end_us) - x0);
    std::string label = e.instance;
    if (e.attempt > 1) label += fmt::format(" (attempt {})", e.attempt);
    if (label.size() > 40) label = label.substr(0, 37) + "...";
    svg +=
        fmt::format("<text x=\"8\" y=\"{}\">{}</text>\n", y + 12, Xml(label));
    std::string tip = fmt::format("{} {} {:.1f} ms", e.instance, e.status,
                                  (e.end_us - e.start_us) / 1000.0);
    if (!e.error.empty()) tip += ": " + e.error;
    svg += fmt::format(
        "<rect class=\"bar {}\" x=\"{:.1f}\" y=\"{}\" width=\"{:.1f}\" "
        "height=\"{}\" fill=\"{}\"{}><title>{}</title></rect>\n",
        e.status, x0, y + 2, w, kRowHeight - 4, StatusColor(e.status),
        on_path.contains(i) ? " stroke=\"black\" stroke-width=\"1.5\"" : "",
        Xml(tip));
  }

  // Time axis.
  const int axis_y = rows_top + static_cast<int>(n) * kRowHeight + 8;
  svg += fmt::format(
      "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#333\"/>\n",
      kLabelWidth, axis_y, kLabelWidth + kChartWidth, axis_y);
  for (int k = 0; k <= 4; ++k) {
    const double px = kLabelWidth + kChartWidth * k / 4.0;
    // The last label ends at the chart's edge instead of running past it.
    svg += fmt::format(
        "<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"{}\">{:.1f} "
        "ms</text>\n",
        px, axis_y + 16, k == 4 ? "end" : "middle", span / 1000.0 * k / 4.0);
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace unum::trace
