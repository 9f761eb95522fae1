import ArgumentParser
import Estate
import Foundation
import PlumbCore
import Reports

struct MergeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "merge", abstract: "Fold the jsonl of `plumb scan --shard I/N` runs into one store, as one run.")

  @Argument(help: "Shard outputs (jsonl written with --shard).") var files: [String]
  @Option(help: "The SQLite store to record the run in.") var store: String
  @Flag(help: "Record an incomplete set of shards instead of refusing it.") var allowPartial = false

  func run() throws {
    guard !files.isEmpty else { throw PlumbFailure.usage("name the shard files to merge") }
    var shards: [ShardFile] = []
    for file in files { shards.append(try ShardFile.read(file)) }
    let plan = try ShardSet.check(shards, allowPartial: allowPartial)
    if !plan.missing.isEmpty {
      Environment.warn(
        "merging a partial set: shard\(plan.missing.count == 1 ? "" : "s") \(plan.missing.map { "\($0)/\(plan.count)" }.joined(separator: ", ")) missing (--allow-partial)"
      )
    }
    let opened = try Environment.storeCall { try EstateStore.open(path: store) }
    let label =
      plan.missing.isEmpty
      ? "merged \(plan.count) shards" : "merged \(plan.count - plan.missing.count) of \(plan.count) shards"
    let runID = try Environment.storeCall {
      try opened.beginRun(
        startedAt: Environment.timestamp(), plumbVersion: PlumbVersion.current, policyHash: plan.policyHash,
        shard: label)
    }
    do {
      var (total, reused) = (0, 0)
      for shard in shards {
        // Read again line by line rather than kept from the check: memory stays flat in the estate's size.
        try ShardFile.forEachLine(shard.file) { line in
          guard line["schema"]?.stringValue != JSONReport.shardSchema else { return }
          let (key, tags, refs) = ShardLine.state(from: line)
          try opened.record(try RepositoryResult(json: line), cacheKey: key, tags: tags, runID: runID, refs: refs)
          total += 1
          if ShardLine.isReused(line) { reused += 1 }
        }
      }
      let changes = try opened.finishRun(runID, finishedAt: Environment.timestamp())
      Environment.warn(StoreSummary.text(changes, store: store, runID: runID, total: total, reused: reused))
    } catch {
      try? opened.abandonRun(runID)
      throw PlumbFailure.usage("\(error)")
    }
  }
}

/// One shard's jsonl: its repository lines and its trailer.
struct ShardFile {
  let file: String
  let shard: Shard
  let policyHash: String
  let revision: String?
  let repositories: Int

  /// Each line of a jsonl file, parsed, one at a time.
  static func forEachLine(_ file: String, _ body: (JSONValue) throws -> Void) throws {
    guard let data = FileManager.default.contents(atPath: file) else {
      throw PlumbFailure.usage("\(file): cannot read")
    }
    var number = 0
    for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
      number += 1
      let value: JSONValue
      do {
        value = try JSONParser.parse(String(decoding: line, as: UTF8.self))
      } catch {
        throw PlumbFailure.usage("\(file):\(number): \(error)")
      }
      try body(value)
    }
  }

  /// Checks a shard file through: every line a repository, ending in the trailer.
  static func read(_ file: String) throws -> ShardFile {
    var count = 0
    var trailer: JSONValue?
    var number = 0
    try forEachLine(file) { value in
      number += 1
      guard trailer == nil else {
        throw PlumbFailure.usage("\(file):\(number): a line after the shard trailer; is this two files joined?")
      }
      if value["schema"]?.stringValue == JSONReport.shardSchema {
        trailer = value
        return
      }
      do {
        _ = try RepositoryResult(json: value)
      } catch {
        throw PlumbFailure.usage("\(file):\(number): not a plumb repository line: \(error)")
      }
      count += 1
    }
    guard let trailer else {
      throw PlumbFailure.usage(
        "\(file): no shard trailer: the shard did not run to the end, or was not written by `plumb scan --shard`")
    }
    guard let shard = trailer["shard"]?.stringValue.flatMap(Shard.init),
      let policy = trailer["run"]?["policy_hash"]?.stringValue
    else { throw PlumbFailure.usage("\(file): the shard trailer is damaged") }
    if let expected = trailer["repositories"]?.intValue, expected != count {
      throw PlumbFailure.usage("\(file): the trailer counts \(expected) repositories but the file holds \(count)")
    }
    return ShardFile(
      file: file, shard: shard, policyHash: policy, revision: trailer["run"]?["revision"]?.stringValue,
      repositories: count)
  }
}

/// Whether some shard files are one whole set: the same slicing, policy and revision, each slice once.
enum ShardSet {
  struct Plan {
    let count: Int
    let policyHash: String
    let missing: [Int]
  }

  static func check(_ shards: [ShardFile], allowPartial: Bool) throws -> Plan {
    let first = shards[0]
    for shard in shards.dropFirst() {
      if shard.shard.count != first.shard.count {
        throw PlumbFailure.usage(
          "\(shard.file) is shard \(shard.shard) but \(first.file) is shard \(first.shard): not one set")
      }
      if shard.policyHash != first.policyHash {
        throw PlumbFailure.usage("\(shard.file) and \(first.file) were scanned under different policies")
      }
      if shard.revision != first.revision {
        throw PlumbFailure.usage("\(shard.file) and \(first.file) scanned different revisions")
      }
    }
    var seen: [Int: String] = [:]
    for shard in shards {
      if let other = seen[shard.shard.index] {
        throw PlumbFailure.usage("shard \(shard.shard) is there twice: \(other) and \(shard.file)")
      }
      seen[shard.shard.index] = shard.file
    }
    let missing = (1...first.shard.count).filter { seen[$0] == nil }
    if !missing.isEmpty && !allowPartial {
      throw PlumbFailure.usage(
        "incomplete set: shard\(missing.count == 1 ? "" : "s") \(missing.map { "\($0)/\(first.shard.count)" }.joined(separator: ", ")) missing; merge them too, or pass --allow-partial"
      )
    }
    return Plan(count: first.shard.count, policyHash: first.policyHash, missing: missing)
  }
}
