/// One pattern byte after escape resolution; `escaped` keeps metacharacters literal.
struct CodeOwnersPatternChar: Sendable, Equatable {
    var byte: UInt8
    var escaped: Bool
    /// Byte offset in the source line, so errors can point at the raw character.
    var offset: Int
}

/// A path split once into '/'-separated components so every rule can reuse it.
struct CodeOwnersPath: Sendable {
    let bytes: [UInt8]
    /// Start and end byte offsets of each component, flattened.
    private(set) var bounds: [Int] = []

    var count: Int { bounds.count / 2 }

    init(_ path: String) {
        bytes = Array(path.utf8)
        var index = 0
        let total = bytes.count
        while index <= total {
            var end = index
            while end < total && bytes[end] != UInt8(ascii: "/") { end += 1 }
            // Empty and "." components carry no meaning in a repository-relative path.
            let length = end - index
            if length > 0 && !(length == 1 && bytes[index] == UInt8(ascii: ".")) {
                bounds.append(index)
                bounds.append(end)
            }
            index = end + 1
        }
    }

    func withView<Result>(_ body: (CodeOwnersPathView) -> Result) -> Result {
        bytes.withUnsafeBufferPointer { bytes in
            bounds.withUnsafeBufferPointer { bounds in body(CodeOwnersPathView(bytes: bytes, bounds: bounds)) }
        }
    }
}

/// Borrowed, bounds-check-free view of a `CodeOwnersPath` for the hot matching loop.
struct CodeOwnersPathView {
    let bytes: UnsafeBufferPointer<UInt8>
    let bounds: UnsafeBufferPointer<Int>

    var count: Int { bounds.count / 2 }
}

/// A CODEOWNERS pattern compiled into path segments, matched with a position-set DP (no backtracking blow-up).
struct CodeOwnersMatcher: Sendable, Equatable {
    /// Plain-data segment so matching never retains or releases anything.
    struct Segment: Sendable, Equatable {
        enum Kind: UInt8, Sendable {
            /// Exact bytes.
            case literal
            /// `*` / `?` wildcards within one component.
            case glob
            /// A lone `*` segment: any single component.
            case anyComponent
            /// A leading or inner `**`: zero or more components.
            case anyComponents
            /// A trailing `**`: one or more components (everything inside).
            case someComponents
        }

        var kind: Kind
        /// Token range in `CodeOwnersMatcher.tokens`.
        var start = 0
        var end = 0
        /// Literal tokens before the first wildcard and after the last one, for cheap rejection.
        var prefix = 0
        var suffix = 0
        /// Fewest bytes a matching component can have.
        var minimumLength = 0
    }

    static let star: Int16 = -1
    static let question: Int16 = -2

    private(set) var segments: [Segment] = []
    /// Tokens of all literal and glob segments: 0...255 literal byte, `star` or `question`.
    private(set) var tokens: [Int16] = []
    /// False for `dir/` patterns, which only match directories.
    private(set) var matchesFiles = true
    /// False for a final lone `*` (GitHub: `docs/*` does not own nested directories).
    private(set) var matchesDirectories = true
    /// `/`, `/**` and friends.
    private(set) var matchesEverything = false

    /// Compiles raw pattern syntax, reading `\x` as a literal `x`.
    init(source: String) {
        self.init(chars: CodeOwnersMatcher.chars(fromSource: source))
    }

    init(chars: [CodeOwnersPatternChar]) {
        let slash = UInt8(ascii: "/")
        var end = chars.count
        while end > 0 && chars[end - 1].byte == slash {
            end -= 1
            matchesFiles = false
        }
        // A pattern made of slashes only is the repository root (GitLab `/`).
        if end == 0 {
            matchesFiles = true
            matchesEverything = true
            return
        }
        var start = 0
        while start < end && chars[start].byte == slash { start += 1 }
        var anchored = start > 0
        if !anchored {
            for index in start..<end where chars[index].byte == slash {
                anchored = true
                break
            }
        }
        var parts: [ArraySlice<CodeOwnersPatternChar>] = []
        var partStart = start
        for index in start...end where index == end || chars[index].byte == slash {
            if index > partStart { parts.append(chars[partStart..<index]) }
            partStart = index + 1
        }
        if !anchored { segments.append(Segment(kind: .anyComponents)) }
        for (position, part) in parts.enumerated() {
            var segment = compile(part)
            if segment.kind == .anyComponents && position == parts.count - 1 { segment.kind = .someComponents }
            // Adjacent `**` collapse so the DP does not repeat identical work.
            if segments.last?.kind == .anyComponents {
                if segment.kind == .anyComponents { continue }
                if segment.kind == .someComponents { segments.removeLast() }
            }
            segments.append(segment)
        }
        if !matchesFiles {
            return
        }
        if segments.last?.kind == .anyComponent { matchesDirectories = false }
        if segments.count == 1 && segments[0].kind == .someComponents { matchesEverything = true }
    }

    static func chars(fromSource source: String) -> [CodeOwnersPatternChar] {
        let bytes = Array(source.utf8)
        var result: [CodeOwnersPatternChar] = []
        result.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "\\") && index + 1 < bytes.count {
                result.append(CodeOwnersPatternChar(byte: bytes[index + 1], escaped: true, offset: index))
                index += 2
            } else {
                result.append(CodeOwnersPatternChar(byte: bytes[index], escaped: false, offset: index))
                index += 1
            }
        }
        return result
    }

    static func resolveEscapes(_ source: String) -> String {
        String(decoding: chars(fromSource: source).map(\.byte), as: UTF8.self)
    }

    private mutating func compile(_ part: ArraySlice<CodeOwnersPatternChar>) -> Segment {
        let asterisk = UInt8(ascii: "*")
        let questionMark = UInt8(ascii: "?")
        if part.allSatisfy({ $0.byte == asterisk && !$0.escaped }) {
            return Segment(kind: part.count == 2 ? .anyComponents : .anyComponent)
        }
        let isGlob = part.contains { !$0.escaped && ($0.byte == asterisk || $0.byte == questionMark) }
        var segment = Segment(kind: isGlob ? .glob : .literal, start: tokens.count)
        for char in part {
            if !char.escaped && char.byte == asterisk {
                // Runs of `*` inside a segment behave like one `*`.
                if tokens.count == segment.start || tokens.last != CodeOwnersMatcher.star {
                    tokens.append(CodeOwnersMatcher.star)
                }
            } else if !char.escaped && char.byte == questionMark {
                tokens.append(CodeOwnersMatcher.question)
            } else {
                tokens.append(Int16(char.byte))
            }
        }
        segment.end = tokens.count
        let own = tokens[segment.start..<segment.end]
        segment.prefix = own.firstIndex { $0 < 0 }.map { $0 - segment.start } ?? own.count
        segment.suffix = own.lastIndex { $0 < 0 }.map { segment.end - 1 - $0 } ?? own.count
        segment.minimumLength = own.filter { $0 != CodeOwnersMatcher.star }.count
        return segment
    }

    func matches(_ path: CodeOwnersPath) -> Bool {
        path.withView { matches($0) }
    }

    func matches(_ path: CodeOwnersPathView) -> Bool {
        let count = path.count
        if count == 0 { return false }
        if matchesEverything { return true }
        return segments.withUnsafeBufferPointer { segments in
            tokens.withUnsafeBufferPointer { tokens in
                count < 64
                    ? matchesShallow(segments, tokens, path, count)
                    : matchesDeep(segments, tokens, path, count)
            }
        }
    }

    /// Bit j of `reach` means "the first j components are consumed"; no allocation.
    private func matchesShallow(
        _ segments: UnsafeBufferPointer<Segment>, _ tokens: UnsafeBufferPointer<Int16>, _ path: CodeOwnersPathView,
        _ count: Int
    ) -> Bool {
        var reach: UInt64 = 1
        let all: UInt64 = count == 63 ? ~0 : (1 << UInt64(count + 1)) &- 1
        let fileBit: UInt64 = 1 << UInt64(count)
        for segment in segments {
            switch segment.kind {
            case .anyComponents:
                let low = UInt64(reach.trailingZeroBitCount)
                reach = all & ~((1 << low) &- 1)
            case .someComponents:
                let low = reach.trailingZeroBitCount + 1
                if low > count { return false }
                reach = all & ~((1 << UInt64(low)) &- 1)
            case .anyComponent:
                reach = (reach & ~fileBit) << 1
            case .literal, .glob:
                var pending = reach & ~fileBit
                var next: UInt64 = 0
                while pending != 0 {
                    let index = pending.trailingZeroBitCount
                    pending &= pending &- 1
                    if CodeOwnersMatcher.matches(segment, tokens, path, index) { next |= 1 << UInt64(index + 1) }
                }
                reach = next
            }
            if reach == 0 { return false }
        }
        let directoryBits = reach & (fileBit &- 1) & ~1
        return (matchesFiles && reach & fileBit != 0) || (matchesDirectories && directoryBits != 0)
    }

    /// Same DP as `matchesShallow` for paths of 64+ components.
    private func matchesDeep(
        _ segments: UnsafeBufferPointer<Segment>, _ tokens: UnsafeBufferPointer<Int16>, _ path: CodeOwnersPathView,
        _ count: Int
    ) -> Bool {
        var reach = [Bool](repeating: false, count: count + 1)
        reach[0] = true
        var next = reach
        for segment in segments {
            guard let low = reach.firstIndex(of: true) else { return false }
            switch segment.kind {
            case .anyComponents, .someComponents:
                let first = segment.kind == .anyComponents ? low : low + 1
                if first > count { return false }
                for index in 0...count { reach[index] = index >= first }
            case .anyComponent, .literal, .glob:
                next[0] = false
                for index in 0..<count {
                    next[index + 1] =
                        reach[index]
                        && (segment.kind == .anyComponent || CodeOwnersMatcher.matches(segment, tokens, path, index))
                }
                swap(&reach, &next)
            }
        }
        if matchesFiles && reach[count] { return true }
        return matchesDirectories && reach[1..<count].contains(true)
    }

    private static func matches(
        _ segment: Segment, _ tokens: UnsafeBufferPointer<Int16>, _ path: CodeOwnersPathView, _ component: Int
    ) -> Bool {
        let start = path.bounds[2 * component]
        let end = path.bounds[2 * component + 1]
        let length = end - start
        let bytes = path.bytes
        if segment.kind == .literal {
            guard segment.end - segment.start == length else { return false }
            for offset in 0..<length where tokens[segment.start + offset] != Int16(bytes[start + offset]) {
                return false
            }
            return true
        }
        guard length >= segment.minimumLength else { return false }
        for offset in 0..<segment.prefix where tokens[segment.start + offset] != Int16(bytes[start + offset]) {
            return false
        }
        for offset in 0..<segment.suffix where tokens[segment.end - 1 - offset] != Int16(bytes[end - 1 - offset]) {
            return false
        }
        return glob(tokens, segment.start, segment.end, bytes, start, end)
    }

    /// Iterative wildcard match remembering only the last `*`: O(pattern x text), never exponential.
    private static func glob(
        _ tokens: UnsafeBufferPointer<Int16>, _ tokenStart: Int, _ tokenEnd: Int, _ text: UnsafeBufferPointer<UInt8>,
        _ start: Int, _ end: Int
    ) -> Bool {
        var tokenIndex = tokenStart
        var textIndex = start
        var starToken = -1
        var starText = start
        while textIndex < end {
            if tokenIndex < tokenEnd {
                let token = tokens[tokenIndex]
                if token == star {
                    starToken = tokenIndex
                    starText = textIndex
                    tokenIndex += 1
                    continue
                }
                if token == question {
                    tokenIndex += 1
                    textIndex = nextScalar(text, textIndex, end)
                    continue
                }
                if token == Int16(text[textIndex]) {
                    tokenIndex += 1
                    textIndex += 1
                    continue
                }
            }
            if starToken < 0 { return false }
            starText = nextScalar(text, starText, end)
            textIndex = starText
            tokenIndex = starToken + 1
        }
        while tokenIndex < tokenEnd && tokens[tokenIndex] == star { tokenIndex += 1 }
        return tokenIndex == tokenEnd
    }

    /// `?` and `*` step over whole UTF-8 scalars, not bytes.
    private static func nextScalar(_ text: UnsafeBufferPointer<UInt8>, _ index: Int, _ end: Int) -> Int {
        var next = index + 1
        while next < end && text[next] & 0xC0 == 0x80 { next += 1 }
        return next
    }
}
