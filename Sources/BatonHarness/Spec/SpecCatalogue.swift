import BatonModel
import Foundation

/// The catalogue of the normative clauses of the specifications Baton judges, one YAML file per
/// document (`Sources/BatonHarness/Spec/Catalogue/`). Scenario files name the clauses they test by
/// id, and `baton coverage` lists which clauses no scenario tests.
public struct SpecCatalogue: Sendable {
    /// The documents, sorted by id.
    public var documents: [SpecDocument]
    private var index: [SpecClauseID: SpecClause]

    public init(documents: [SpecDocument]) throws {
        var index: [SpecClauseID: SpecClause] = [:]
        var seen: Set<String> = []
        for document in documents {
            guard seen.insert(document.id).inserted else {
                throw ScenarioError(
                    file: "\(document.id).yaml", line: 1, column: 1, field: "document", message: "document '\(document.id)' is defined twice")
            }
            for clause in document.clauses {
                guard index.updateValue(clause, forKey: clause.id) == nil else {
                    throw ScenarioError(
                        file: "\(document.id).yaml", line: 1, column: 1, field: "clauses", message: "clause '\(clause.id)' is defined twice")
                }
            }
        }
        self.documents = documents.sorted { $0.id < $1.id }
        self.index = index
    }

    /// The clause with this id.
    public func clause(_ id: SpecClauseID) -> SpecClause? { index[id] }

    /// The document with this id.
    public func document(_ id: String) -> SpecDocument? { documents.first { $0.id == id } }

    /// Every clause, document by document in catalogue order.
    public var clauses: [SpecClause] { documents.flatMap(\.clauses) }

    /// Why a scenario's reference does not name a clause of the catalogue, or nil when it does.
    public func problem(with text: String) -> String? {
        guard let id = SpecClauseID(text) else {
            return "'\(text)' is not a clause id (document/clause, such as aip-verification/V4-scope)"
        }
        guard let document = document(id.document) else {
            return "no document '\(id.document)' in the specification catalogue (documents: \(documents.map(\.id).joined(separator: ", ")))"
        }
        guard clause(id) != nil else {
            let names = document.clauses.map(\.id.clause)
            let near = names.filter { $0.hasPrefix(String(id.clause.prefix(1))) }
            return
                "no clause '\(id.clause)' in \(document.id) (\(near.isEmpty ? "its clauses" : "similar"): \((near.isEmpty ? names : near).joined(separator: ", ")))"
        }
        return nil
    }

    // MARK: loading

    /// The catalogue shipped with Baton (the module's `Catalogue` resource), read once; a broken
    /// file is an error naming it, which every scenario load then reports.
    public static let standard: Result<SpecCatalogue, ScenarioError> = {
        guard let url = Bundle.module.url(forResource: "Catalogue", withExtension: nil) else {
            return .failure(
                ScenarioError(file: "Catalogue", line: 0, column: 0, field: "", message: "the specification catalogue is missing from the build"))
        }
        do {
            return .success(try load(directory: url))
        } catch let e as ScenarioError {
            return .failure(e)
        } catch {
            return .failure(
                ScenarioError(file: url.path, line: 0, column: 0, field: "", message: "cannot read the specification catalogue: \(error)"))
        }
    }()

    /// Loads every `*.yaml` of a directory, one document each.
    public static func load(directory: URL) throws -> SpecCatalogue {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".yaml") }.sorted()
        var documents: [SpecDocument] = []
        for name in names {
            let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            documents.append(try parse(text, file: name))
        }
        return try SpecCatalogue(documents: documents)
    }

    /// Parses one document file.
    public static func parse(_ text: String, file: String) throws -> SpecDocument {
        let doc = try YAMLField.document(text, file: file)
        try doc.rejectUnknownKeys(["document", "title", "version", "source", "note", "profiles", "clauses"])
        let id = try doc["document"].string()
        guard SpecClauseID.isDocumentName(id) else { throw doc["document"].error("document ids use lower-case letters, digits and '-'") }
        let profiles = try doc["profiles"].strings().map { TokenProfile($0) }
        guard !profiles.isEmpty else { throw doc["profiles"].error("name the profiles the document's clauses apply to") }
        var clauses: [SpecClause] = []
        for field in try doc["clauses"].items() {
            try field.rejectUnknownKeys(["id", "title", "level", "section", "profiles"])
            let name = try field["id"].string()
            guard let clauseID = SpecClauseID(document: id, clause: name) else {
                throw field["id"].error("clause ids use letters, digits, '.', '_' and '-'")
            }
            let levelText = try field["level"].string()
            guard let level = RequirementLevel(rawValue: levelText) else {
                throw field["level"].error("level is MUST, SHOULD or MAY, not '\(levelText)'")
            }
            let own = field["profiles"].exists ? try field["profiles"].strings().map { TokenProfile($0) } : profiles
            clauses.append(
                SpecClause(id: clauseID, title: try field["title"].string(), level: level, section: try field["section"].string(), profiles: own))
        }
        guard !clauses.isEmpty else { throw doc["clauses"].error("a document needs at least one clause") }
        return SpecDocument(
            id: id, title: try doc["title"].string(), version: try doc["version"].string(), source: try doc["source"].string(),
            note: try doc["note"].optionalString(), profiles: profiles, clauses: clauses)
    }
}
