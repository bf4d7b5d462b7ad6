/// A step that sets the scenario's agents to work (their plans run).
public protocol WorkflowStep: ScenarioStepKind {}
