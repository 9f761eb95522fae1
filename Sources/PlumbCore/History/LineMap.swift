/// Which lines of a new text are unchanged lines of an old one (Myers' O(ND) diff), so blame can
/// follow a line back through a commit that edited other lines of the same file.
enum LineMap {
  /// For each line of `new`, the index of the same line in `old`, or nil when the commit wrote it.
  /// Gives up (every line new) past `maxEdits`, so pathological files cannot stall a walk.
  static func map(old: [Substring], new: [Substring], maxEdits: Int = 4000) -> [Int?] {
    var result = [Int?](repeating: nil, count: new.count)
    // Common prefix and suffix first: most commits touch a few lines.
    var prefix = 0
    while prefix < old.count && prefix < new.count && old[prefix] == new[prefix] {
      result[prefix] = prefix
      prefix += 1
    }
    var suffix = 0
    while suffix < old.count - prefix && suffix < new.count - prefix
      && old[old.count - 1 - suffix] == new[new.count - 1 - suffix]
    {
      result[new.count - 1 - suffix] = old.count - 1 - suffix
      suffix += 1
    }
    let a = Array(old[prefix..<(old.count - suffix)])
    let b = Array(new[prefix..<(new.count - suffix)])
    guard !a.isEmpty, !b.isEmpty else { return result }
    for (i, j) in myers(a, b, maxEdits: maxEdits) { result[prefix + j] = prefix + i }
    return result
  }

  /// Matching (old, new) index pairs of a shortest edit script.
  static func myers(_ a: [Substring], _ b: [Substring], maxEdits: Int) -> [(Int, Int)] {
    let n = a.count
    let m = b.count
    let limit = min(n + m, maxEdits)
    let offset = limit + 1
    var v = [Int](repeating: 0, count: 2 * limit + 3)
    var trace: [[Int]] = []
    var found = false
    outer: for d in 0...limit {
      trace.append(v)
      for k in stride(from: -d, through: d, by: 2) {
        var x: Int
        if k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) {
          x = v[offset + k + 1]
        } else {
          x = v[offset + k - 1] + 1
        }
        var y = x - k
        while x < n && y < m && a[x] == b[y] {
          x += 1
          y += 1
        }
        v[offset + k] = x
        if x >= n && y >= m {
          found = true
          break outer
        }
      }
    }
    guard found else { return [] }
    // Walk the trace back to collect the diagonal (unchanged) moves.
    var pairs: [(Int, Int)] = []
    var x = n
    var y = m
    for d in stride(from: trace.count - 1, through: 0, by: -1) {
      let v = trace[d]
      let k = x - y
      let previousK: Int
      if k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) {
        previousK = k + 1
      } else {
        previousK = k - 1
      }
      let previousX = v[offset + previousK]
      let previousY = previousX - previousK
      while x > previousX && y > previousY {
        x -= 1
        y -= 1
        pairs.append((x, y))
      }
      if d > 0 {
        x = previousX
        y = previousY
      }
    }
    return pairs
  }
}
