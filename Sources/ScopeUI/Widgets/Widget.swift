/// A part of the screen that draws itself, on the pattern of ratatui's
/// widgets: made from the state it shows (values, not the debugger), it
/// draws into a ``CellBuffer`` within the rectangle it is given and changes
/// nothing else: no cell outside the rectangle, and no state anywhere (a
/// widget is a value, and rendering it does not mutate it).
///
/// ```swift
/// var buffer = CellBuffer(width: 80, height: 24)
/// TimelineBar(cursor: cursor, forkPoints: [], marks: [], theme: .dark)
///     .render(in: Rect(x: 10, y: 1, width: 70, height: 1), into: &buffer)
/// ```
///
/// The debugger lays the screen out first (`Debugger.layOut`), then draws
/// each widget in its rectangle; `WidgetTests` checks every widget leaves
/// the cells around its rectangle as they were.
protocol Widget {
    /// Draws into `buffer` inside `area`, and nowhere else.
    func render(in area: Rect, into buffer: inout CellBuffer)
}

extension TimelineBar: Widget {}
extension LevelRow: Widget {}
extension LifelineRow: Widget {}
extension Inspector: Widget {}
extension ResultsPane: Widget {}
extension BranchList: Widget {}
extension HelpOverlay: Widget {}
extension DistributionOverlay: Widget {}
extension TableView: Widget {}
extension ArchetypeList: Widget {}
