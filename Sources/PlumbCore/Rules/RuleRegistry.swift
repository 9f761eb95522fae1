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
    RunbookStaleRule(),
    ModuleUnpinnedRule(),
    ModuleBranchRefRule(),
    ModuleLooseConstraintRule(),
    ModuleOutdatedRule(),
    ActionUnpinnedRule(),
    ImageUnpinnedRule(),
    TemplateMissingDefaultRule(),
    TemplateDriftRule(),
    TagNotSemverRule(),
    TagLightweightRule(),
    TagMovedRule(),
    TagNotOnDefaultBranchRule(),
    TagNonMonotonicRule(),
    TagMissingChangelogRule(),
    BreakingWithoutMajorRule(),
    ParseErrorRule(),
    WaiverExpiredRule(),
    WaiverUnusedRule(),
  ]

  public static var ids: [String] { all.map(\.id) }

  /// The rules that judge pins one at a time (`plumb pins` asks them for each pin's status).
  public static var pinRules: [any PinRule] { all.compactMap { $0 as? any PinRule } }
}
