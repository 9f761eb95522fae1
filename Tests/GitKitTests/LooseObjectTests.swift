import FixtureKit
import Foundation
import XCTest

@testable import GitKit

/// Loose objects are read with their lengths checked (libgit2 1.5's own reader corrupts the heap on a header
/// that understates the size and spins for ever on a body cut short), and a tree stored under the id of one it
/// contains ends the walks instead of sending them round for ever.
final class LooseObjectTests: XCTestCase {
  let history = """
    commits:
      - files: {README.md: "one\\n", src/a.go: "package a\\n"}
        tags: [v0.1.0]
      - files: {README.md: "two, a line long enough to be more than the header's 64 bytes\\n"}
    """

  func loosePath(_ gitDir: String, _ id: ObjectID) -> String {
    gitDir + "/objects/" + id.hex.prefix(2) + "/" + id.hex.dropFirst(2)
  }

  /// A zlib stream holding `bytes` in one stored (uncompressed) deflate block, as any inflater reads it.
  func zlibStored(_ bytes: [UInt8]) -> [UInt8] {
    let length = UInt16(bytes.count)
    var adlerA: UInt32 = 1
    var adlerB: UInt32 = 0
    for byte in bytes {
      adlerA = (adlerA + UInt32(byte)) % 65521
      adlerB = (adlerB + adlerA) % 65521
    }
    let adler = adlerB << 16 | adlerA
    return [0x78, 0x01, 0x01, UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8(~length >> 8)]
      + bytes + [UInt8(adler >> 24), UInt8(adler >> 16 & 0xFF), UInt8(adler >> 8 & 0xFF), UInt8(adler & 0xFF)]
  }

  func testSoundLooseObjectsReadAsTheyDoFromAPack() throws {
    let folder = TemporaryFolder()
    let made = try folder.repository("app", yaml: history)
    let packed = try Repository(at: made.path)
    let packedFiles = try packed.files(ofTree: try packed.commit(try packed.head().commit).tree)
    try Materializer.unpackObjects(gitDir: made.path + "/.git")
    let loose = try Repository(at: made.path)
    let head = try loose.head().commit
    XCTAssertTrue(FileManager.default.fileExists(atPath: loosePath(made.path + "/.git", head)), "really loose")
    let files = try loose.files(ofTree: try loose.commit(head).tree)
    XCTAssertEqual(files, packedFiles)
    for file in files {
      XCTAssertEqual(try loose.blob(file.id, limit: 1000), try packed.blob(file.id, limit: 1000), file.path)
    }
    XCTAssertEqual(try loose.resolveCommit(String(head.hex.prefix(7))), head, "a short id finds a loose object")
    XCTAssertEqual(
      try loose.commit(try loose.resolveCommit("v0.1.0")).summary,
      try packed.commit(try packed.resolveCommit("v0.1.0")).summary)
  }

  func testLooseObjectsInAnAlternateAreRead() throws {
    let folder = TemporaryFolder()
    let made = try folder.repository("app", yaml: history)
    try Materializer.unpackObjects(gitDir: made.path + "/.git")
    let borrower = folder.path + "/borrower"
    try Materializer.run(["clone", "-q", "--shared", "--bare", made.path, borrower])
    XCTAssertTrue(FileManager.default.fileExists(atPath: borrower + "/objects/info/alternates"))
    let repository = try Repository(at: borrower)
    let files = try repository.files(ofTree: try repository.commit(try repository.head().commit).tree)
    let readme = try XCTUnwrap(files.first { $0.path == "README.md" })
    XCTAssertTrue(String(decoding: try repository.blob(readme.id, limit: 1000), as: UTF8.self).hasPrefix("two"))
  }

  func testLyingOrCutLooseObjectsAreErrorsNotCrashesOrHangs() throws {
    let body = [UInt8](repeating: UInt8(ascii: "A"), count: 60)
    let cases: [(name: String, bytes: [UInt8], expected: String)] = [
      // libgit2 1.5 copied 57 bytes into a 4-byte buffer here and aborted the process.
      ("understated", zlibStored(Array("blob 3\0".utf8) + body), "more bytes than its header says"),
      ("overstated", zlibStored(Array("blob 100\0".utf8) + body), "fewer bytes than its header says"),
      // libgit2 1.5 spun for ever on these.
      ("cut short", Array(zlibStored(Array("blob 60\0".utf8) + body).prefix(40)), "cut short"),
      ("checksum cut", Array(zlibStored(Array("blob 60\0".utf8) + body).dropLast(2)), "cut short"),
      // libgit2 1.5 opened it without O_NONBLOCK and waited for a writer.
      ("FIFO", [], "not a regular file"),
    ]
    let folder = TemporaryFolder()
    for (index, damage) in cases.enumerated() {
      let made = try folder.repository("repo\(index)", yaml: history)
      let gitDir = made.path + "/.git"
      try Materializer.unpackObjects(gitDir: gitDir)
      let repository = try Repository(at: made.path)
      let files = try repository.files(ofTree: try repository.commit(try repository.head().commit).tree)
      let readme = try XCTUnwrap(files.first { $0.path == "README.md" })
      let path = loosePath(gitDir, readme.id)
      try FileManager.default.removeItem(atPath: path)
      if damage.name == "FIFO" {
        XCTAssertEqual(mkfifo(path, 0o600), 0)
      } else {
        try Data(damage.bytes).write(to: URL(fileURLWithPath: path))
      }
      // On a thread of its own: were the read to spin or block, the test fails after 30 s instead of hanging.
      let done = DispatchSemaphore(value: 0)
      let outcome = Outcome()
      let blob = readme.id
      let repositoryPath = made.path
      Thread.detachNewThread {
        do {
          _ = try Repository(at: repositoryPath).blob(blob, limit: 1000)
          outcome.text = "read without complaint"
        } catch {
          outcome.text = "\(error)"
        }
        done.signal()
      }
      guard done.wait(timeout: .now() + 30) == .success else { return XCTFail("\(damage.name): the read hung") }
      XCTAssertTrue(outcome.text.contains(damage.expected), "\(damage.name): \(outcome.text)")
      let other = try XCTUnwrap(files.first { $0.path == "src/a.go" })
      XCTAssertEqual(try repository.blob(other.id, limit: 100), Array("package a\n".utf8), "the rest still reads")
    }
  }

  func testATreeThatContainsItselfEndsTheWalk() throws {
    let folder = TemporaryFolder()
    let made = try folder.repository(
      "app", yaml: "files: {README.md: \"hi\\n\", docs/guide.md: \"# Guide\\n\", docs/more/notes.md: \"n\\n\"}")
    let gitDir = made.path + "/.git"
    try Materializer.unpackObjects(gitDir: gitDir)
    let repository = try Repository(at: made.path)
    let root = try repository.commit(try repository.head().commit).tree
    let docs = try XCTUnwrap(try repository.entry(atPath: "docs", inTree: root)).id
    let readme = try XCTUnwrap(try repository.entry(atPath: "README.md", inTree: root)).id
    let more = try XCTUnwrap(try repository.entry(atPath: "docs/more", inTree: root)).id
    func tree(_ entries: String) throws -> ObjectID {
      try XCTUnwrap(ObjectID(hex: try Materializer.run(["--git-dir", gitDir, "mktree"], input: Data(entries.utf8))))
    }
    // A tree stored where another is read from: ids are not re-hashed on read.
    func store(_ entries: String, under id: ObjectID) throws {
      let made = try tree(entries)
      try FileManager.default.removeItem(atPath: loosePath(gitDir, id))
      try FileManager.default.copyItem(atPath: loosePath(gitDir, made), toPath: loosePath(gitDir, id))
    }
    // A tree naming `docs` as its own subtree, stored where `docs` is read from.
    try store("040000 tree \(docs.hex)\tdocs\n100644 blob \(readme.hex)\tREADME.md\n", under: docs)

    let damaged = try Repository(at: made.path)
    XCTAssertThrowsError(try damaged.files(ofTree: root)) { error in
      XCTAssertTrue("\(error)".contains("at 'docs/docs' contains itself"), "\(error)")
    }
    XCTAssertThrowsError(try damaged.paths(ofBlob: readme, inTree: root)) { error in
      XCTAssertTrue("\(error)".contains("contains itself"), "\(error)")
    }
    // Two such trees side by side: a comparison that descends where their ids differ would never end.
    try store("040000 tree \(more.hex)\tdocs\n100644 blob \(readme.hex)\tREADME.md\n", under: more)
    XCTAssertThrowsError(try Repository(at: made.path).pathSetsDiffer(docs, more)) { error in
      XCTAssertTrue("\(error)".contains("nested over 4096 folders deep"), "\(error)")
    }
    // A tree holding itself twice, all of it removed: the search for a rename's source ends within its budget.
    let small = try tree("100644 blob \(readme.hex)\tone\n")
    try store("040000 tree \(small.hex)\ta\n040000 tree \(small.hex)\tb\n", under: small)
    let outcome = Outcome()
    let done = DispatchSemaphore(value: 0)
    let path = made.path
    Thread.detachNewThread {
      do {
        outcome.text = "\(try Repository(at: path).removedFiles(from: small, to: nil, limit: 50).count) files"
      } catch {
        outcome.text = "\(error)"
      }
      done.signal()
    }
    guard done.wait(timeout: .now() + 60) == .success else { return XCTFail("the search doubled at every level") }
    XCTAssertEqual(outcome.text, "0 files", "folders only, none of them files")
  }

  final class Outcome: @unchecked Sendable {
    var text = ""
  }
}
