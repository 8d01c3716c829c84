import Foundation
import SwirlSpec

/// The workflow's templates by name, with `spec.templateDefaults` merged in (a template's own fields win),
/// built once so that looking a template up costs the same for 3 templates or 200.
struct TemplateIndex: Sendable {
    private var templates: [String: Template] = [:]
    let defaults: Template?

    init(spec: WorkflowSpec) {
        defaults = spec.templateDefaults
        for template in spec.templates ?? [] {
            guard let name = template.name, templates[name] == nil else { continue }
            templates[name] = Self.merge(defaults, into: template)
        }
    }

    subscript(name: String) -> Template? { templates[name] }

    /// A template of another spec (templateRef) with this workflow's defaults.
    func withDefaults(_ template: Template) -> Template { Self.merge(defaults, into: template) }

    /// Argo's templateDefaults merge: fields set on the template win; nested objects merge key by key.
    static func merge(_ defaults: Template?, into template: Template) -> Template {
        guard let defaults else { return template }
        let encoder = JSONEncoder()
        let decoder = JSONDecoder()
        guard let base = try? decoder.decode(JSONValue.self, from: encoder.encode(defaults)),
            let own = try? decoder.decode(JSONValue.self, from: encoder.encode(template)),
            let data = try? encoder.encode(deepMerge(base, own)),
            let merged = try? decoder.decode(Template.self, from: data)
        else { return template }
        return merged
    }

    static func deepMerge(_ base: JSONValue, _ overlay: JSONValue) -> JSONValue {
        guard case .object(var result) = base, case .object(let over) = overlay else { return overlay }
        for (key, value) in over {
            if let existing = result[key] { result[key] = deepMerge(existing, value) } else { result[key] = value }
        }
        return .object(result)
    }
}
