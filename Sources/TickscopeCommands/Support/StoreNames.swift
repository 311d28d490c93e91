import Timeline

/// Runs `body`, which names checkpoints or branches of `store`; a name
/// that is not there becomes one line naming `path` (the store as the user
/// typed it) and what the store holds instead:
/// `runs/a: no checkpoint c999 (checkpoints c1…c301; main: ticks 0…300, tickscope log lists them)`.
func explainingNames<T>(of store: CheckpointStore, in path: String, _ body: () throws -> T) throws -> T {
    do { return try body() } catch let error as TimelineError {
        switch error {
        case .unknownCheckpoint(let reference):
            let branch = reference.lastIndex(of: "@").map { String(reference[..<$0]) } ?? store.catalog.defaultBranch
            throw CommandFailure("\(path): no checkpoint \(reference) (\(holdings(of: store, on: branch, reference: reference)))")
        case .unknownBranch(let name):
            let names = store.branches.map(\.name)
            throw CommandFailure("\(path): no branch \(name) (" + (names.isEmpty ? "it has none" : "branches: " + names.joined(separator: ", ")) + ")")
        default:
            throw error
        }
    }
}

/// `checkpoints c1…c301; main: ticks 0…300, tickscope log lists them`,
/// and for a tick between two recorded ones (a recording that keeps every
/// fourth tick), the two: `main: ticks 0…400, nearest 4 (c2) and 8 (c3),
/// tickscope log lists them`.
private func holdings(of store: CheckpointStore, on branch: String, reference: String) -> String {
    let ids = store.checkpoints.map(\.id)
    guard let first = ids.min(), let last = ids.max() else { return "it has no checkpoints" }
    var text = "checkpoints \(first)…\(last)"
    if let line = try? store.timeline(of: branch), let start = line.first, let end = line.last {
        text += "; \(branch): ticks \(start.tick)…\(end.tick)"
        if let (below, above) = store.catalog.neighbours(of: reference) {
            text += ", nearest \(below.tick) (\(below.id)) and \(above.tick) (\(above.id))"
        }
    }
    return text + ", tickscope log lists them"
}
