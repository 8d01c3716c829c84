import Foundation

/// `dag` template.
public struct DAGTemplate: Codable, Sendable, Hashable {
    public var tasks: [DAGTask]
    public var target: String?
    public var failFast: Bool?

    public init(tasks: [DAGTask]) { self.tasks = tasks }
}

/// Fields shared by a step of a `steps` template and a task of a `dag` template.
public protocol InvocationFields: Sendable {
    var name: String { get }
    var template: String? { get }
    var templateRef: TemplateRef? { get }
    var inline: Template? { get }
    var arguments: Arguments? { get }
    var when: String? { get }
    var continueOn: ContinueOn? { get }
    var withItems: [JSONValue]? { get }
    var withParam: String? { get }
    var withSequence: Sequence? { get }
    var hooks: [String: LifecycleHook]? { get }
    var onExit: String? { get }
}

/// One task of a `dag` template.
public struct DAGTask: Codable, Sendable, Hashable, InvocationFields {
    public var name: String
    public var template: String?
    public var templateRef: TemplateRef?
    public var inline: Template? { inlineBox?.value }
    var inlineBox: Box<Template>?
    public var arguments: Arguments?
    public var dependencies: [String]?
    public var depends: String?
    public var when: String?
    public var continueOn: ContinueOn?
    public var withItems: [JSONValue]?
    public var withParam: String?
    public var withSequence: Sequence?
    public var hooks: [String: LifecycleHook]?
    public var onExit: String?

    public init(name: String, template: String, dependencies: [String]? = nil, depends: String? = nil) {
        self.name = name
        self.template = template
        self.dependencies = dependencies
        self.depends = depends
    }

    enum CodingKeys: String, CodingKey {
        case name, template, templateRef, inlineBox = "inline", arguments, dependencies, depends, when, continueOn
        case withItems, withParam, withSequence, hooks, onExit
    }
}

/// One step of a `steps` template.
public struct WorkflowStep: Codable, Sendable, Hashable, InvocationFields {
    public var name: String
    public var template: String?
    public var templateRef: TemplateRef?
    public var inline: Template? { inlineBox?.value }
    var inlineBox: Box<Template>?
    public var arguments: Arguments?
    public var when: String?
    public var continueOn: ContinueOn?
    public var withItems: [JSONValue]?
    public var withParam: String?
    public var withSequence: Sequence?
    public var hooks: [String: LifecycleHook]?
    public var onExit: String?

    public init(name: String, template: String) {
        self.name = name
        self.template = template
    }

    enum CodingKeys: String, CodingKey {
        case name, template, templateRef, inlineBox = "inline", arguments, when, continueOn
        case withItems, withParam, withSequence, hooks, onExit
    }
}

/// Indirection so a template can contain templates (`inline:`).
public final class Box<T: Codable & Sendable & Hashable>: Codable, Sendable, Hashable {
    public let value: T
    public init(_ value: T) { self.value = value }
    public init(from decoder: Decoder) throws { value = try T(from: decoder) }
    public func encode(to encoder: Encoder) throws { try value.encode(to: encoder) }
    public static func == (lhs: Box<T>, rhs: Box<T>) -> Bool { lhs.value == rhs.value }
    public func hash(into hasher: inout Hasher) { hasher.combine(value) }
}

/// `templateRef`: a template of a stored WorkflowTemplate or ClusterWorkflowTemplate.
public struct TemplateRef: Codable, Sendable, Hashable {
    public var name: String?
    public var template: String?
    public var clusterScope: Bool?

    public init(name: String? = nil, template: String? = nil, clusterScope: Bool? = nil) {
        self.name = name
        self.template = template
        self.clusterScope = clusterScope
    }
}

/// `continueOn`: which child failures do not fail the parent.
public struct ContinueOn: Codable, Sendable, Hashable {
    public var failed: Bool?
    public var error: Bool?
}

/// `withSequence`.
public struct Sequence: Codable, Sendable, Hashable {
    public var count: IntOrString?
    public var start: IntOrString?
    public var end: IntOrString?
    public var format: String?
}
