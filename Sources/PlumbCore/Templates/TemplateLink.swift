import Formats

/// A repository's template found in the estate, with the version the repository records resolved there.
public struct TemplateLink {
  /// What the repository records about its version of the template.
  public enum RecordedVersion {
    /// No version recorded (a catalog annotation without `@VERSION`).
    case notRecorded
    /// A version the template repository has no tag or commit for.
    case unknown(String)
    case resolved(String, TemplateCommit)
  }

  /// The file that records the template (`.copier-answers.yml`, `.cruft.json`, `catalog-info.yaml`).
  public let recordPath: String
  public let reference: TemplateReference
  public let template: any TemplateRepository
  public let version: RecordedVersion

  init(recordPath: String, reference: TemplateReference, template: any TemplateRepository) {
    self.recordPath = recordPath
    self.reference = reference
    self.template = template
    if let recorded = reference.version {
      version = template.resolve(recorded).map { .resolved(recorded, $0) } ?? .unknown(recorded)
    } else {
      version = .notRecorded
    }
  }

  /// The template commit whose default files the repository should hold, and how to name it: the recorded
  /// version, or with none recorded the newest release. Never a branch tip: what a finding depends on stays
  /// fixed by tag names and commit ids, which the estate's digest covers.
  public var baseline: (label: String, commit: String)? {
    switch version {
    case .resolved(let label, let commit): return (label, commit.sha)
    case .unknown: return nil
    case .notRecorded: return template.releases.first.map { ($0.tag, $0.commit) }
    }
  }

  /// The project files the template ships at a commit, as this repository's answers name them; nil when
  /// the template's tree or layout cannot be read.
  public func defaultFiles(at commit: String) -> (layout: TemplateLayout, files: Set<String>)? {
    guard let paths = template.files(at: commit) else { return nil }
    let config = ["copier.yml", "copier.yaml"].first(where: paths.contains).flatMap { template.text($0, at: commit) }
    guard
      let layout = TemplateLayout.detect(
        paths: paths, copierConfig: config, directory: reference.directory, values: reference.values)
    else { return nil }
    return (layout, layout.projectFiles(paths, values: reference.values))
  }
}
