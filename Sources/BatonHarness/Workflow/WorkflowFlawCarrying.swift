/// An implementation under test that carries workflow flaws (the flawed variants of the gallery).
public protocol WorkflowFlawCarrying {
    var workflowFlaws: Set<WorkflowFlaw> { get }
}
