import TickscopeCommands

// Everything is in the TickscopeCommands library (Sources/TickscopeCommands).
TickscopeCommandLine.run()
