import Foundation
import PackCodec
import Testing
import Timeline
@testable import ScopeUI

extension FeatureTests {
    @Test("o draws the selected entity's lifeline as a lane; ) and ( walk its events; a click on the lane seeks; o again removes it")
    func lifelineLane() throws {
        let debugger = try Self.debugger(keys: "a # 2 6 5 ENTER o")
        debugger.finishPendingWork()
        let lifeline = try #require(debugger.lifeline)
        #expect(lifeline.entity == EntityID(265) && lifeline.isComplete)
        let lines = debugger.screen(width: 110, height: 24).lines
        let lane = try #require(lines.first { $0.hasPrefix("#265 life") })
        #expect(lane.contains("+") && lane.contains("•") && lane.contains(">") && lane.contains("x"), "\(lane)")
        #expect(lane.hasSuffix(" changes, 1 move "), "\(lane)")
        // ) goes to the next event after tick 0: the first checkpoint where a field of #265 changed.
        try Self.press(")", on: debugger)
        let first = try #require(lifeline.events.indices.first { $0 > 0 && Debugger.isEvent(lifeline.events[$0]) })
        #expect(debugger.cursor.position == first && debugger.selectedCell?.entity == EntityID(265))
        #expect(debugger.message?.text.hasPrefix("#265 at \(debugger.cursor.current!.id): changed ") == true)
        // From the end, ( goes back to the despawn, where no row is selected for it.
        try Self.press("G (", on: debugger)
        let despawn = try #require(lifeline.events.firstIndex(of: .despawned))
        #expect(debugger.cursor.position == despawn && debugger.message?.text.hasSuffix(": despawned") == true)
        try Self.press("(", on: debugger)
        #expect(debugger.cursor.position == despawn - 1 && debugger.selectedCell?.entity == EntityID(265))
        // A click on the lane's left end goes to the first checkpoint.
        let y = try #require(lines.firstIndex(of: lane))
        try Self.press("CLICK:11,\(y)", on: debugger)
        #expect(debugger.cursor.position == 0)
        try Self.press("# 2 6 5 ENTER o", on: debugger)
        #expect(debugger.lifeline == nil && !debugger.screen(width: 110, height: 24).lines.contains { $0.hasPrefix("#265 life") })
    }
}
