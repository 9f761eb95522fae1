extension StringProtocol {
  /// Lines split on LF and CRLF (Swift reads "\r\n" as one Character, so splitting on "\n" alone misses it).
  public var textLines: [SubSequence] {
    split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
  }
}
