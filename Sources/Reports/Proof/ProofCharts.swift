import Foundation

/// The report's charts as SVG text, worked out here so the page draws them without any script.
enum ProofCharts {
  /// Colour-blind-safe (Okabe–Ito), one per category in the fixed order.
  static let colours = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]

  static func colour(_ index: Int) -> String { colours[index % colours.count] }

  /// Share of repositories passing each category per point in time, 0–100 %.
  static func adoption(_ timeline: [ProofData.TimelinePoint], categories: [String]) -> String {
    let width = 760.0
    let height = 280.0
    let left = 44.0
    let right = 28.0
    let top = 12.0
    let bottom = 44.0
    let plotWidth = width - left - right
    let plotHeight = height - top - bottom
    let count = timeline.count
    func x(_ index: Int) -> Double {
      count > 1 ? left + plotWidth * Double(index) / Double(count - 1) : left + plotWidth / 2
    }
    func y(_ share: Double) -> Double { top + plotHeight * (1 - share) }

    var svg =
      "<svg class=\"chart\" viewBox=\"0 0 \(n(width)) \(n(height))\" role=\"img\" "
      + "aria-label=\"Share of repositories passing each category over time\">"
    for step in 0...4 {
      let share = Double(step) / 4
      svg +=
        "<line class=\"grid\" x1=\"\(n(left))\" x2=\"\(n(width - right))\" y1=\"\(n(y(share)))\" y2=\"\(n(y(share)))\"/>"
      svg +=
        "<text class=\"axis\" x=\"\(n(left - 6))\" y=\"\(n(y(share) + 4))\" text-anchor=\"end\">\(step * 25)%</text>"
    }
    let stride = max(1, Int((Double(count) / 10).rounded(.up)))
    for (index, point) in timeline.enumerated() where index % stride == 0 || index == count - 1 {
      if index != count - 1 && count - 1 - index < stride { continue }  // keep the last label clear of its neighbour
      // Centred under their points: the margins hold half a label, so the first and last stay inside the chart.
      svg +=
        "<text class=\"axis\" x=\"\(n(x(index)))\" y=\"\(n(height - bottom + 18))\" text-anchor=\"middle\">"
        + HTMLText.escape(point.label) + "</text>"
    }
    for (position, category) in categories.enumerated() {
      let colour = colour(position)
      // A category with no repositories at a point leaves a gap rather than a misleading zero.
      var segments: [[(Int, Double)]] = [[]]
      for (index, point) in timeline.enumerated() {
        if position < point.shares.count, let share = point.shares[position] {
          segments[segments.count - 1].append((index, share))
        } else if !segments[segments.count - 1].isEmpty {
          segments.append([])
        }
      }
      for segment in segments where segment.count > 1 {
        let points = segment.map { "\(n(x($0.0))),\(n(y($0.1)))" }.joined(separator: " ")
        svg += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2.5\" points=\"\(points)\"/>"
      }
      if count <= 60 {
        for segment in segments {
          for (index, share) in segment {
            svg +=
              "<circle cx=\"\(n(x(index)))\" cy=\"\(n(y(share)))\" r=\"3.5\" fill=\"\(colour)\"><title>"
              + HTMLText.escape("\(category) \(timeline[index].label): \(percent(share))") + "</title></circle>"
          }
        }
      }
    }
    return svg + "</svg>"
  }

  /// A tiny line of one category's share over time, for its scorecard card.
  static func sparkline(_ timeline: [ProofData.TimelinePoint], position: Int, colour: String) -> String {
    let values = timeline.compactMap { position < $0.shares.count ? $0.shares[position] : nil }
    guard values.count > 1 else { return "" }
    let width = 140.0
    let height = 30.0
    let points = values.enumerated().map { index, share in
      "\(n(2 + (width - 4) * Double(index) / Double(values.count - 1))),\(n(2 + (height - 4) * (1 - share)))"
    }.joined(separator: " ")
    return
      "<svg class=\"spark\" viewBox=\"0 0 \(n(width)) \(n(height))\" aria-hidden=\"true\">"
      + "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" points=\"\(points)\"/></svg>"
  }

  /// Repositories per maturity level as horizontal bars.
  static func maturity(_ levels: [ProofData.LevelCount]) -> String {
    let rowHeight = 30.0
    let labelWidth = 90.0
    let barWidth = 520.0
    let height = rowHeight * Double(levels.count) + 8
    let most = max(1, levels.map(\.repositories).max() ?? 1)
    let total = max(1, levels.reduce(0) { $0 + $1.repositories })
    var svg =
      "<svg class=\"chart bars\" viewBox=\"0 0 \(n(labelWidth + barWidth + 120)) \(n(height))\" role=\"img\" "
      + "aria-label=\"Repositories per maturity level\">"
    for (index, level) in levels.enumerated() {
      let y = 4 + rowHeight * Double(index)
      let length = barWidth * Double(level.repositories) / Double(most)
      let name = HTMLText.escape(level.level)
      svg += "<text class=\"label\" x=\"\(n(labelWidth - 8))\" y=\"\(n(y + 19))\" text-anchor=\"end\">\(name)</text>"
      svg +=
        "<rect class=\"level-\(index)\" x=\"\(n(labelWidth))\" y=\"\(n(y + 4))\" width=\"\(n(max(length, 1)))\" "
        + "height=\"\(n(rowHeight - 10))\" rx=\"3\"><title>\(name): \(level.repositories)</title></rect>"
      let share = percent(Double(level.repositories) / Double(total))
      svg +=
        "<text class=\"value\" x=\"\(n(labelWidth + length + 8))\" y=\"\(n(y + 19))\">"
        + "\(level.repositories) (\(share))</text>"
    }
    return svg + "</svg>"
  }

  /// Coordinates with at most one decimal, so the SVG stays small.
  static func n(_ value: Double) -> String {
    let rounded = (value * 10).rounded() / 10
    return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
  }

  static func percent(_ share: Double) -> String { "\(Int((share * 100).rounded()))%" }
}
