/// The allowed keys of every Argo object the linter descends into, because Yams' decoder ignores unknown keys.
///
/// Kubernetes-only subtrees that Swirl keeps as written (affinity, resources, probes, artifact locations …) are
/// `.any`, `.mapping` or `.list(.any)`: their shape may be checked, their keys are not.
enum Schema {
    /// The object types with a key table.
    enum Object: String, CaseIterable, Sendable {
        case document, cronDocument, metadata, podMetadata
        case workflowSpec, cronWorkflowSpec, workflowTemplateRef
        case template, container, script, userContainer, containerNode, envVar, volumeMount, volume
        case inputs, outputs, arguments, parameter, valueFrom, artifact
        case retryStrategy, backoff, continueOn, sequence, templateRef, lifecycleHook, synchronization
        case dag, dagTask, workflowStep
        case suspend, http, data, resource, containerSet, containerSetRetryStrategy
    }

    /// The expected shape of a field's value.
    indirect enum Shape: Sendable {
        /// A string, number or boolean.
        case scalar
        /// Anything; not descended into.
        case any
        /// A mapping whose keys are not checked.
        case mapping
        /// A mapping with this key table.
        case object(Object)
        /// A list whose items have this shape.
        case list(Shape)
        /// A mapping with free keys whose values have this shape (`labels`, `hooks`).
        case map(Shape)

        /// How a value of this shape is described in "expected …" messages.
        var noun: String {
            switch self {
            case .scalar: return "a string, number or boolean"
            case .any: return "a value"
            case .mapping, .object, .map: return "a mapping"
            case .list: return "a list"
            }
        }
    }

    /// The kinds of template, by their key in a template.
    static let templateTypes = [
        "container", "script", "dag", "steps", "suspend", "resource", "data", "http", "containerSet", "plugin",
    ]

    /// Keys of a Kubernetes volume besides `name`: its source types.
    static let volumeSources = [
        "emptyDir", "hostPath", "persistentVolumeClaim", "configMap", "secret", "downwardAPI", "projected", "nfs",
        "csi",
        "ephemeral", "image", "awsElasticBlockStore", "azureDisk", "azureFile", "cephfs", "cinder", "fc", "flexVolume",
        "flocker", "gcePersistentDisk", "gitRepo", "glusterfs", "iscsi", "photonPersistentDisk", "portworxVolume",
        "quobyte", "rbd", "scaleIO", "storageos", "vsphereVolume",
    ]

    static let stringList = Shape.list(.scalar)
    static let stringMap = Shape.map(.scalar)

    static let containerFields: [String: Shape] = [
        "name": .scalar, "image": .scalar, "command": stringList, "args": stringList, "workingDir": .scalar,
        "env": .list(.object(.envVar)), "envFrom": .list(.any), "volumeMounts": .list(.object(.volumeMount)),
        "volumeDevices": .list(.any), "resources": .mapping, "resizePolicy": .list(.any), "restartPolicy": .scalar,
        "ports": .list(.any), "livenessProbe": .mapping, "readinessProbe": .mapping, "startupProbe": .mapping,
        "lifecycle": .mapping, "securityContext": .mapping, "imagePullPolicy": .scalar,
        "terminationMessagePath": .scalar, "terminationMessagePolicy": .scalar, "stdin": .scalar,
        "stdinOnce": .scalar, "tty": .scalar,
    ]

    static let invocationFields: [String: Shape] = [
        "name": .scalar, "template": .scalar, "templateRef": .object(.templateRef), "inline": .object(.template),
        "arguments": .object(.arguments), "when": .scalar, "continueOn": .object(.continueOn),
        "withItems": .list(.any), "withParam": .scalar, "withSequence": .object(.sequence),
        "hooks": .map(.object(.lifecycleHook)), "onExit": .scalar,
    ]

    static let workflowSpecFields: [String: Shape] = [
        "templates": .list(.object(.template)), "entrypoint": .scalar, "arguments": .object(.arguments),
        "serviceAccountName": .scalar, "automountServiceAccountToken": .scalar, "executor": .mapping,
        "volumes": .list(.object(.volume)), "volumeClaimTemplates": .list(.any), "parallelism": .scalar,
        "artifactRepositoryRef": .mapping, "suspend": .scalar, "nodeSelector": stringMap, "affinity": .mapping,
        "tolerations": .list(.any), "imagePullSecrets": .list(.any), "hostNetwork": .scalar, "dnsPolicy": .scalar,
        "dnsConfig": .mapping, "onExit": .scalar, "hooks": .map(.object(.lifecycleHook)), "ttlStrategy": .mapping,
        "activeDeadlineSeconds": .scalar, "priority": .scalar, "schedulerName": .scalar, "podGC": .mapping,
        "podPriorityClassName": .scalar, "podPriority": .scalar, "hostAliases": .list(.any),
        "securityContext": .mapping, "podSpecPatch": .scalar, "podDisruptionBudget": .mapping, "metrics": .mapping,
        "shutdown": .scalar, "workflowTemplateRef": .object(.workflowTemplateRef),
        "synchronization": .object(.synchronization), "volumeClaimGC": .mapping,
        "retryStrategy": .object(.retryStrategy), "podMetadata": .object(.podMetadata),
        "templateDefaults": .object(.template), "archiveLogs": .scalar, "workflowMetadata": .mapping,
        "artifactGC": .mapping, "executorPlugins": .list(.any), "podResources": .mapping,
        "resourceClaims": .list(.any),
    ]

    static let templateFields: [String: Shape] = [
        "name": .scalar, "inputs": .object(.inputs), "outputs": .object(.outputs), "metadata": .object(.podMetadata),
        "annotations": stringMap, "retryStrategy": .object(.retryStrategy), "parallelism": .scalar,
        "failFast": .scalar, "timeout": .scalar, "activeDeadlineSeconds": .scalar, "pendingTimeout": .scalar,
        "synchronization": .object(.synchronization), "memoize": .mapping, "metrics": .mapping,
        "archiveLocation": .mapping, "daemon": .scalar, "volumes": .list(.object(.volume)),
        "initContainers": .list(.object(.userContainer)), "sidecars": .list(.object(.userContainer)),
        "nodeSelector": stringMap, "affinity": .mapping, "tolerations": .list(.any), "schedulerName": .scalar,
        "priorityClassName": .scalar, "priority": .scalar, "serviceAccountName": .scalar,
        "automountServiceAccountToken": .scalar, "executor": .mapping, "hostAliases": .list(.any),
        "securityContext": .mapping, "podSpecPatch": .scalar, "podResources": .mapping, "resourceClaims": .list(.any),
        "plugin": .mapping,
        "container": .object(.container), "script": .object(.script), "resource": .object(.resource),
        "dag": .object(.dag), "steps": .list(.list(.object(.workflowStep))), "suspend": .object(.suspend),
        "data": .object(.data), "http": .object(.http), "containerSet": .object(.containerSet),
    ]

    static let artifactFields: [String: Shape] = {
        var fields: [String: Shape] = [
            "name": .scalar, "path": .scalar, "mode": .scalar, "recurseMode": .scalar, "from": .scalar,
            "fromExpression": .scalar, "subPath": .scalar, "optional": .scalar, "globalName": .scalar,
            "archive": .mapping, "archiveLogs": .scalar, "artifactGC": .mapping, "deleted": .scalar,
        ]
        for location in ["s3", "gcs", "azure", "oss", "hdfs", "artifactory", "http", "git", "raw", "plugin"] {
            fields[location] = .mapping
        }
        return fields
    }()

    /// The key table of each object type.
    static let fields: [Object: [String: Shape]] = {
        var table: [Object: [String: Shape]] = [:]
        table[.document] = [
            "apiVersion": .scalar, "kind": .scalar, "metadata": .object(.metadata), "spec": .object(.workflowSpec),
            "status": .any,
        ]
        table[.cronDocument] = [
            "apiVersion": .scalar, "kind": .scalar, "metadata": .object(.metadata),
            "spec": .object(.cronWorkflowSpec), "status": .any,
        ]
        table[.metadata] = [
            "name": .scalar, "generateName": .scalar, "namespace": .scalar, "labels": stringMap,
            "annotations": stringMap, "uid": .scalar, "creationTimestamp": .scalar, "resourceVersion": .scalar,
            "generation": .scalar, "ownerReferences": .list(.any), "finalizers": stringList,
            "managedFields": .list(.any),
        ]
        table[.podMetadata] = ["labels": stringMap, "annotations": stringMap]
        table[.workflowSpec] = workflowSpecFields
        table[.cronWorkflowSpec] = [
            "schedule": .scalar, "schedules": stringList, "timezone": .scalar, "concurrencyPolicy": .scalar,
            "startingDeadlineSeconds": .scalar, "suspend": .scalar, "successfulJobsHistoryLimit": .scalar,
            "failedJobsHistoryLimit": .scalar, "stopStrategy": .mapping, "when": .scalar,
            "workflowMetadata": .mapping, "workflowSpec": .object(.workflowSpec),
        ]
        table[.workflowTemplateRef] = ["name": .scalar, "clusterScope": .scalar]
        table[.template] = templateFields
        table[.container] = containerFields
        table[.script] = containerFields.merging(["source": .scalar]) { $1 }
        table[.userContainer] = containerFields.merging(["mirrorVolumeMounts": .scalar]) { $1 }
        table[.containerNode] = containerFields.merging(["dependencies": stringList]) { $1 }
        table[.envVar] = ["name": .scalar, "value": .scalar, "valueFrom": .mapping]
        table[.volumeMount] = [
            "name": .scalar, "mountPath": .scalar, "subPath": .scalar, "subPathExpr": .scalar, "readOnly": .scalar,
            "mountPropagation": .scalar, "recursiveReadOnly": .scalar,
        ]
        var volume: [String: Shape] = ["name": .scalar]
        for source in volumeSources { volume[source] = .any }
        table[.volume] = volume
        table[.inputs] = ["parameters": .list(.object(.parameter)), "artifacts": .list(.object(.artifact))]
        table[.arguments] = table[.inputs]
        table[.outputs] = [
            "parameters": .list(.object(.parameter)), "artifacts": .list(.object(.artifact)), "result": .scalar,
            "exitCode": .scalar,
        ]
        table[.parameter] = [
            "name": .scalar, "value": .any, "default": .any, "enum": .list(.any), "description": .scalar,
            "globalName": .scalar, "valueFrom": .object(.valueFrom),
        ]
        table[.valueFrom] = [
            "path": .scalar, "jsonPath": .scalar, "jqFilter": .scalar, "parameter": .scalar, "expression": .scalar,
            "supplied": .any, "configMapKeyRef": .mapping, "event": .scalar, "default": .any,
        ]
        table[.artifact] = artifactFields
        table[.retryStrategy] = [
            "limit": .scalar, "retryPolicy": .scalar, "backoff": .object(.backoff), "expression": .scalar,
            "affinity": .mapping,
        ]
        table[.backoff] = ["duration": .scalar, "factor": .scalar, "cap": .scalar, "maxDuration": .scalar]
        table[.continueOn] = ["failed": .scalar, "error": .scalar]
        table[.sequence] = ["count": .scalar, "start": .scalar, "end": .scalar, "format": .scalar]
        table[.templateRef] = ["name": .scalar, "template": .scalar, "clusterScope": .scalar]
        table[.lifecycleHook] = [
            "template": .scalar, "templateRef": .object(.templateRef), "arguments": .object(.arguments),
            "expression": .scalar,
        ]
        table[.synchronization] = [
            "mutex": .mapping, "mutexes": .list(.any), "semaphore": .mapping, "semaphores": .list(.any),
        ]
        table[.dag] = ["tasks": .list(.object(.dagTask)), "target": .scalar, "failFast": .scalar]
        table[.dagTask] = invocationFields.merging(["dependencies": stringList, "depends": .scalar]) { $1 }
        table[.workflowStep] = invocationFields
        table[.suspend] = ["duration": .scalar]
        table[.http] = [
            "url": .scalar, "method": .scalar, "headers": .list(.any), "body": .scalar, "bodyFrom": .mapping,
            "timeoutSeconds": .scalar, "successCondition": .scalar, "insecureSkipVerify": .scalar,
        ]
        table[.data] = ["source": .mapping, "transformation": .list(.any)]
        table[.resource] = [
            "action": .scalar, "manifest": .scalar, "manifestFrom": .mapping, "mergeStrategy": .scalar,
            "successCondition": .scalar, "failureCondition": .scalar, "setOwnerReference": .scalar, "flags": stringList,
        ]
        table[.containerSet] = [
            "containers": .list(.object(.containerNode)), "volumeMounts": .list(.object(.volumeMount)),
            "retryStrategy": .object(.containerSetRetryStrategy),
        ]
        table[.containerSetRetryStrategy] = ["retries": .scalar, "duration": .scalar]
        return table
    }()
}
