import ArgumentParser
import Foundation
import SwirlExecutor

/// `swirl controller`: run the controller in the foreground.
struct ControllerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "controller", abstract: "Run the workflow controller in the foreground.")

    @Flag(name: .long, help: "Exit once no workflow is left to run.") var exitWhenIdle = false

    func run() async throws {
        let context = try CLIContext()
        guard BackgroundController.takeLock(context.home) else {
            if exitWhenIdle { return }
            throw CLIError("another controller is already running for \(context.home.url.path)")
        }
        try await context.makeController(scope: .all).run(exitWhenIdle: exitWhenIdle)
    }
}

/// `swirl __supervise POD_DIR`: the per-step supervisor (Swirl's argoexec). Not for humans.
struct SuperviseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "__supervise", shouldDisplay: false)

    @Argument var podDirectory: String

    func run() throws {
        let code = Supervisor.main(podDirectory: podDirectory)
        if code != 0 { throw ExitCode(code) }
    }
}
