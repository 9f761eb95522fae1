/// Text made safe for HTML: every name, message and path from a repository goes through here, so nothing a
/// repository contains can become markup.
enum HTMLText {
  /// Escapes `& < > " '` (safe in text and in double- or single-quoted attributes); NUL becomes U+FFFD.
  static func escape(_ text: String) -> String {
    guard text.utf8.contains(where: { $0 == 38 || $0 == 60 || $0 == 62 || $0 == 34 || $0 == 39 || $0 == 0 }) else {
      return text
    }
    var out = ""
    out.reserveCapacity(text.utf8.count + 16)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      case "\0": out += "\u{FFFD}"
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  /// Only web links become hrefs: a template that yields `javascript:` or `data:` gives plain text instead.
  static func href(_ url: String?) -> String? {
    guard let url else { return nil }
    let lowered = url.lowercased()
    guard lowered.hasPrefix("https://") || lowered.hasPrefix("http://") else { return nil }
    return escape(url)
  }

  /// `<a href>` around already escaped text when there is a usable link.
  static func link(_ escapedText: String, _ url: String?) -> String {
    guard let target = href(url) else { return escapedText }
    return "<a href=\"\(target)\">\(escapedText)</a>"
  }
}
