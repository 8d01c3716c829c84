import ArgumentParser
import Foundation

/// `swirl`: run Argo Workflows' YAML on one machine, with an `argo`-shaped CLI.
@main
struct Swirl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "swirl",
        abstract: "Run Argo Workflows on one machine: same YAML, same CLI, no cluster.",
        subcommands: [
            SubmitCommand.self, GetCommand.self, ListCommand.self, LogsCommand.self, WatchCommand.self,
            WaitCommand.self, DeleteCommand.self, LintCommand.self, TemplateCommand.self,
            ClusterTemplateCommand.self, StopCommand.self, TerminateCommand.self, SuspendCommand.self,
            ResumeCommand.self, NodeCommand.self, RetryCommand.self, ResubmitCommand.self, ControllerCommand.self,
            SuperviseCommand.self,
        ])
}

/// Prints to stderr.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// A failure the CLI reports as one clear line and exit status 1.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
