import Foundation
import SwirlSpec

extension WorkflowEngine {
    /// Starts queued pods while the workflow's `parallelism` and their steps/dag template's `parallelism` allow.
    mutating func dispatchQueuedPods() {
        let limit = workflow.spec.parallelism.flatMap { $0 > 0 ? $0 : nil } ?? Int.max
        while activePods < limit, !isSuspended || shutdown != nil, let id = podQueue.popFirst() {
            guard var node = status.nodes[id], node.phase == .pending else { continue }
            if shutdown != nil {
                complete(id, phase: .failed, message: shutdownMessage)
                continue
            }
            if let boundary = node.boundaryID, let cap = boundaryLimit(boundary),
                activeByBoundary[boundary, default: 0] >= cap
            {
                blockedByBoundary[boundary, default: []].append(id)
                continue
            }
            do {
                let request = try podRequest(for: node)
                node.phase = .running
                put(node)
                activePods += 1
                if let boundary = node.boundaryID { activeByBoundary[boundary, default: 0] += 1 }
                pendingActions.append(.startPod(request))
            } catch {
                complete(id, phase: .error, message: "\(error)")
            }
        }
    }

    /// The `parallelism` of a steps/dag node's template, if it sets one.
    func boundaryLimit(_ boundaryID: String) -> Int? {
        guard let boundary = status.nodes[boundaryID], let limit = template(for: boundary)?.parallelism, limit > 0
        else {
            return nil
        }
        return limit
    }

    /// A pod under `boundaryID` finished: one pod waiting for that boundary's parallelism may go.
    mutating func releaseBoundarySlot(_ boundaryID: String) {
        activeByBoundary[boundaryID, default: 1] -= 1
        if var blocked = blockedByBoundary[boundaryID], let next = blocked.popFirst() {
            blockedByBoundary[boundaryID] = blocked.isEmpty ? nil : blocked
            podQueue.prepend(next)
        }
    }

    /// The fully resolved pod of a Pod node; rebuilt from the node alone, so a restarted controller can start it.
    public func podRequest(for node: NodeStatus) throws -> PodRequest {
        guard let template = template(for: node),
            let container = template.container ?? template.script ?? template.containerSet?.containers?.first
                ?? template.http.map({ _ in Container(image: "argoexec") })
                ?? template.data.map({ _ in Container(image: "argoexec") })
        else {
            throw EngineError("template '\(node.templateName ?? "")' of node '\(node.name)' not found")
        }
        var scope = Scope(node: node)
        scope.podName = node.podName
        scope.retries = retryIndex(of: node)
        for parameter in template.outputs?.parameters ?? [] {
            if let path = parameter.valueFrom?.path {
                scope.outputPaths["outputs.parameters.\(parameter.name).path"] = path
            }
        }
        for artifact in template.outputs?.artifacts ?? [] {
            if let path = artifact.path { scope.outputPaths["outputs.artifacts.\(artifact.name).path"] = path }
        }
        func sub(_ text: String) throws -> String { try substitute(text, in: scope) }
        var env: [String: String] = [
            "ARGO_POD_NAME": node.podName ?? "", "ARGO_NODE_ID": node.id, "ARGO_WORKFLOW_NAME": name,
            "ARGO_CONTAINER_NAME": "main", "ARGO_TEMPLATE": template.name ?? "",
        ]
        for variable in container.env ?? [] {
            env[variable.name] = try sub(variable.value ?? "")
        }
        var argv = try (container.command ?? []).map(sub) + (container.args ?? []).map(sub)
        var source: String?
        if template.script != nil {
            if container.command == nil { argv = ["sh"] + argv }
            source = try sub(container.source ?? "")
        }
        var mounts = container.volumeMounts ?? []
        let http = try template.http.map { try httpCall($0, substitute: sub) }
        var dataInput: ArtifactPlacement?
        if let data = template.data {
            let listing = try dataListing(data, scope: scope)
            argv = listing.argv
            dataInput = listing.input
        }
        let inits = template.initContainers ?? []
        let sidecars = template.sidecars ?? []
        if (!inits.isEmpty || !sidecars.isEmpty) && !argv.isEmpty {
            argv = try ContainerSetScript.wrap(main: argv, initContainers: inits, sidecars: sidecars, substitute: sub)
        }
        if let set = template.containerSet {
            argv = ["sh", "-c", try ContainerSetScript.render(set.containers ?? [], substitute: sub)]
            mounts = set.volumeMounts ?? []
        }
        var outputPaths: [String: String] = [:]
        for parameter in template.outputs?.parameters ?? [] {
            if let path = parameter.valueFrom?.path { outputPaths[parameter.name] = try sub(path) }
        }
        var deadline = template.activeDeadlineSeconds.flatMap { Double($0.value) }
        if let timeout = template.timeout, let seconds = GoDuration.seconds(try sub(timeout)) {
            deadline = min(deadline ?? seconds, seconds)
        }
        var request = PodRequest(
            workflowName: name, workflowUID: uid, nodeID: node.id, podName: node.podName ?? node.id,
            image: try container.image.map(sub), argv: argv, env: env, workingDir: try container.workingDir.map(sub),
            volumeMounts: mounts, workflowVolumes: try substitutedVolumes(workflow.spec.volumes ?? []),
            templateVolumes: template.volumes ?? [], scriptSource: source, outputParameterPaths: outputPaths,
            deadlineSeconds: deadline)
        request.inputArtifacts = try (node.inputs?.artifacts ?? []).map { artifact in
            try placement(for: artifact, path: try sub(artifact.path ?? "/tmp/\(artifact.name)"))
        }
        if let dataInput { request.inputArtifacts.append(dataInput) }
        request.http = http
        request.outputArtifacts = try captures(for: template, podName: request.podName, scope: scope)
        var archiveLogs = workflow.spec.archiveLogs ?? false
        if case .bool(let flag)? = template.archiveLocation?["archiveLogs"] { archiveLogs = flag }
        if archiveLogs { request.archiveLogsKey = "\(name)/\(request.podName)/main.log" }
        if template.daemon == true {
            request.daemon = true
            request.readinessProbe = try Self.readinessProbe(
                try container.readinessProbe.map { try substituteJSON($0, scope: scope) }, template: template.name ?? ""
            )
        }
        return request
    }

    /// Volumes with `{{workflow.*}}` substituted, as Argo substitutes global parameters across the spec.
    func substitutedVolumes(_ volumes: [Volume]) throws -> [Volume] {
        try volumes.map { volume in
            var copy = volume
            copy.source = try volume.source.mapValues { try substituteJSON($0, scope: Scope()) }
            return copy
        }
    }

    /// The attempt number of a retry child (`name(2)` → 2).
    func retryIndex(of node: NodeStatus) -> Int? {
        guard let parentID = parentOf[node.id], status.nodes[parentID]?.type == .retry else { return nil }
        return status.nodes[parentID]?.children?.firstIndex(of: node.id)
    }

    /// A pod's supervisor reported: turn exit code and files into phase and outputs.
    mutating func podFinished(nodeID: String, result: PodResult) {
        // A daemoned pod's end is not its node's: the node stays Running until its scope stops it (`stopDaemons`).
        guard let node = status.nodes[nodeID], node.type == .pod || node.type == .http, !node.phase.isCompleted,
            node.daemoned != true
        else {
            return
        }
        // A node started when it was created (Argo's meaning); the pod's own start only fills a missing time (its
        // file timestamp comes from a coarse clock and can read earlier than the node's creation).
        if let started = result.startedAt, var updated = status.nodes[nodeID], updated.startedAt == nil {
            updated.startedAt = started
            put(updated)
        }
        guard let exitCode = result.exitCode else {
            // A step stopped by its deadline or by stop/terminate ran and was killed: Failed, like Argo.
            // Anything else means it could not run at all: Error.
            let error = result.error ?? "pod did not run"
            let stopped =
                shutdown != nil || error == "terminated" || error.contains("longer than the specified deadline")
            complete(nodeID, phase: stopped ? .failed : .error, message: error, outputs: nil)
            return
        }
        var outputs = Outputs(exitCode: String(exitCode))
        outputs.result = result.stdout
        var phase: NodePhase = exitCode == 0 ? .succeeded : .failed
        var message: String? = exitCode == 0 ? nil : "Error (exit code \(exitCode))"
        if let error = result.error, exitCode != 0 { message = error }
        let template = template(for: node)
        if let http = template?.http {
            (phase, message) = httpOutcome(http, result: result, scope: Scope(node: node))
            if phase != .succeeded { outputs.result = result.stdout }
        }
        if let data = template?.data, phase == .succeeded {
            do {
                outputs.result = try transformData(data, listing: result.stdout ?? "")
            } catch {
                phase = .error
                message = "data transformation failed: \(error)"
            }
        }
        var parameters: [Parameter] = []
        for declared in template?.outputs?.parameters ?? [] where declared.valueFrom?.path != nil {
            var parameter = Parameter(name: declared.name)
            parameter.globalName = declared.globalName
            if let value = result.outputParameters[declared.name] {
                parameter.value = AnyString(value)
            } else if let fallback = declared.valueFrom?.default {
                parameter.value = fallback
            } else if phase == .succeeded {
                phase = .error
                let reason = result.missingOutputs[declared.name] ?? "file not found"
                message =
                    "failed to read output parameter '\(declared.name)' from \(declared.valueFrom?.path ?? ""): \(reason)"
            }
            parameter.valueFrom = declared.valueFrom
            parameters.append(parameter)
        }
        if !parameters.isEmpty { outputs.parameters = parameters }
        let artifacts = savedOutputArtifacts(template, saved: result.savedArtifacts)
        if !artifacts.isEmpty { outputs.artifacts = artifacts }
        if phase == .succeeded, let (name, reason) = result.artifactErrors.sorted(by: { $0.key < $1.key }).first {
            phase = .error
            message = "failed to save artifact '\(name)': \(reason)"
        }
        if phase == .succeeded {
            publishGlobalOutputs(parameters)
            publishGlobalArtifacts(artifacts)
        }
        if let containers = template?.containerSet?.containers {
            // Argo's Container child nodes, one per container of the set.
            for container in containers {
                let child = createNode(
                    name: "\(node.name).\(container.name ?? "main")", displayName: container.name ?? "main",
                    type: .container, templateName: node.templateName, boundaryID: node.boundaryID, parentID: nodeID,
                    phase: phase == .succeeded ? .succeeded : .failed)
                parentOf[child.id] = nil  // completing the pod, not its containers, moves the workflow on
            }
        }
        var finished = status.nodes[nodeID] ?? node
        if let end = result.finishedAt { finished.finishedAt = end }
        put(finished)
        complete(nodeID, phase: phase, message: message ?? finished.message, outputs: outputs)
        if let end = result.finishedAt, var done = status.nodes[nodeID] {
            done.finishedAt = end
            put(done)
        }
    }

    /// `globalName` outputs become `workflow.outputs.parameters.*` and `status.outputs`.
    mutating func publishGlobalOutputs(_ parameters: [Parameter]) {
        for parameter in parameters {
            guard let global = parameter.globalName else { continue }
            var outputs = status.outputs ?? Outputs()
            var list = outputs.parameters ?? []
            list.removeAll { $0.name == global }
            list.append(Parameter(name: global, value: parameter.value?.value))
            outputs.parameters = list
            status.outputs = outputs
        }
    }
}

/// An error inside the engine, shown as a node's message.
public struct EngineError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
