/// Every rule plumb knows, in the order they run. A rule here needs a file in `rules/` (a test checks both ways).
public enum RuleRegistry {
  public static let all: [any Rule] = [
    CodeOwnersMissingRule(),
    CodeOwnersSyntaxRule(),
    UnownedFilesRule(),
    PatternMatchesNothingRule(),
    ShadowedPatternRule(),
    CatalogOwnerMismatchRule(),
    RunbookMissingRule(),
    RunbookMissingSectionRule(),
    RunbookBrokenLinkRule(),
    ParseErrorRule(),
    WaiverExpiredRule(),
    WaiverUnusedRule(),
  ]

  public static var ids: [String] { all.map(\.id) }
}
