import SwirlSpec

/// `-p name=value`, as `argo submit` and `argo resubmit` take it: sets the workflow argument `name` (adding it when
/// the workflow has no such argument).
enum ParameterOverrides {
    static func apply(_ pairs: [String], to workflow: inout Workflow) throws {
        guard !pairs.isEmpty else { return }
        var arguments = workflow.spec.arguments ?? Arguments()
        var list = arguments.parameters ?? []
        for pair in pairs {
            guard let equals = pair.firstIndex(of: "=") else {
                throw CLIError("-p expects name=value, got '\(pair)'")
            }
            let key = String(pair[..<equals])
            let value = String(pair[pair.index(after: equals)...])
            if let index = list.firstIndex(where: { $0.name == key }) {
                list[index].value = AnyString(value)
            } else {
                list.append(Parameter(name: key, value: value))
            }
        }
        arguments.parameters = list
        workflow.spec.arguments = arguments
    }
}
