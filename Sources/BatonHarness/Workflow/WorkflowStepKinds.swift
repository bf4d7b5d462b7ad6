/// The step kinds of workflows, for the drivers of profiles that carry them.
public enum WorkflowStepKinds {
    public static let kinds: [any ScenarioStepKind.Type] = [RequestStep.self, ToolCallStep.self, BudgetStep.self, CompletionStep.self]
}
