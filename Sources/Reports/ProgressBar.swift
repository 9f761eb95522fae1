import Foundation
import PlumbCore
import Synchronization

/// What the progress bar shows: repositories done of the total, findings so far, and the repository
/// that has been running longest (the one a user waits for on a big estate).
public struct ProgressState: Sendable, Equatable {
  public var total: Int
  public var done = 0
  public var findings = 0
  public var failed = 0
  /// Repository name → when its scan started (seconds on a monotonic clock).
  public var inFlight: [String: Double] = [:]

  public init(total: Int) {
    self.total = total
  }

  /// One line, at most `width` columns: `[#####-----] 12/40 repositories · 318 findings · slowest: api (4s)`.
  public func line(now: Double, width: Int = 100) -> String {
    let barWidth = 20
    let filled = total == 0 ? barWidth : min(barWidth, done * barWidth / total)
    var text = "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: barWidth - filled) + "] "
    text += "\(done)/\(total) repositories · \(findings) finding\(findings == 1 ? "" : "s")"
    if failed > 0 { text += " · \(failed) unreadable" }
    if let slowest = inFlight.min(by: { $0.value < $1.value || ($0.value == $1.value && $0.key < $1.key) }) {
      text += " · slowest: \(slowest.key) (\(Int(max(0, now - slowest.value)))s)"
    }
    guard text.count > width, width > 1 else { return text }
    return String(text.prefix(width - 1)) + "…"
  }
}

/// A progress bar on stderr, redrawn in place; silent when stderr is not a terminal.
public final class ProgressBar: Sendable {
  let state: Mutex<ProgressState>
  let enabled: Bool

  public init(total: Int, enabled: Bool) {
    state = Mutex(ProgressState(total: total))
    self.enabled = enabled
  }

  public func started(_ name: String) {
    state.withLock { $0.inFlight[name] = Self.now() }
    draw()
  }

  public func finished(_ result: RepositoryResult) {
    finished(result.name, findings: result.findings.count, failed: result.status == .error)
  }

  public func finished(_ name: String, findings: Int, failed: Bool) {
    state.withLock {
      $0.inFlight[name] = nil
      $0.done += 1
      $0.findings += findings
      if failed { $0.failed += 1 }
    }
    draw()
  }

  /// Redraws, so the slowest repository's seconds keep counting while nothing finishes.
  public func draw() {
    guard enabled else { return }
    let line = state.withLock { $0.line(now: Self.now(), width: Self.terminalWidth()) }
    FileHandle.standardError.write(Data(("\r\u{1B}[2K" + line).utf8))
  }

  /// Redraws twice a second until cancelled, so the time counts on while one long repository runs.
  public func ticker() -> Task<Void, Never> {
    Task { [self] in
      while !Task.isCancelled {
        try? await Task.sleep(for: .milliseconds(500))
        draw()
      }
    }
  }

  public func finish() {
    guard enabled else { return }
    FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
  }

  static func now() -> Double {
    Double(DispatchTime.now().uptimeNanoseconds) / 1e9
  }

  static func terminalWidth() -> Int {
    var size = winsize()
    guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 100 }
    return Int(size.ws_col)
  }
}
