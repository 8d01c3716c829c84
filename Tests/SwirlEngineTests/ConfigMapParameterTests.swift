import Foundation
import SwirlEngine
import SwirlSpec
import Testing

/// `valueFrom.configMapKeyRef` on input and workflow parameters, from the ConfigMaps the controller passes in.
@Suite struct ConfigMapParameterTests {
    static let yaml = workflowYAML(
        spec: """
              arguments:
                parameters:
                - name: region
                  valueFrom: {configMapKeyRef: {name: settings, key: region}}
            """,
        """
          - name: main
            inputs:
              parameters:
              - name: size
                valueFrom: {configMapKeyRef: {name: settings, key: size}}
            container: {image: alpine, command: [echo, "{{inputs.parameters.size}}", "{{workflow.parameters.region}}"]}
        """)

    @Test func inputAndWorkflowParametersReadTheConfigMap() throws {
        let options = EngineOptions(configMaps: ["settings": ["size": "42", "region": "eu"]])
        var argv: [String] = []
        var h = try EngineHarness(Self.yaml, options: options) { pod in
            argv = pod.request.argv
            return .ok
        }
        #expect(h.run() == .succeeded)
        #expect(argv == ["echo", "42", "eu"])
    }

    @Test func aMissingKeyFailsTheNodeAndNamesTheKeys() throws {
        let options = EngineOptions(configMaps: ["settings": ["region": "eu", "zone": "a"]])
        var h = try EngineHarness(Self.yaml, options: options)
        #expect(h.run() != .succeeded)
        let message = try #require(h.node("wf")?.message)
        #expect(message.contains("ConfigMap 'settings' has no key 'size'"), "\(message)")
        #expect(message.contains("region, zone"), "\(message)")
        #expect(h.started.isEmpty)
    }

    @Test func aMissingConfigMapFallsBackToTheDefault() throws {
        let yaml = workflowYAML(
            """
              - name: main
                inputs:
                  parameters:
                  - name: size
                    default: "7"
                    valueFrom: {configMapKeyRef: {name: absent, key: size}}
                container: {image: alpine, command: [echo, "{{inputs.parameters.size}}"]}
            """)
        var argv: [String] = []
        var h = try EngineHarness(yaml) { pod in
            argv = pod.request.argv
            return .ok
        }
        #expect(h.run() == .succeeded)
        #expect(argv == ["echo", "7"])
    }
}
