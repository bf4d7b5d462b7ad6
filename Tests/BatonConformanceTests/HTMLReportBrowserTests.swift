import BatonConformance
import BatonReports
import Foundation
import Testing

/// The HTML report, opened in a real headless browser (Debian's Chromium): it must
/// render the failing scenario, its chain and its audit records, and produce a screenshot.
@Suite struct HTMLReportBrowserTests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }

    static var browserRequired: Bool { ProcessInfo.processInfo.environment["BATON_REQUIRE_BROWSER"] != nil }

    @Test(.enabled(if: chromium != nil || browserRequired, "Chromium is not installed: the HTML report was NOT checked in a browser"))
    func reportRendersInHeadlessChromium() throws {
        let browser = try #require(Self.chromium, "BATON_REQUIRE_BROWSER is set but Chromium is missing")
        let catalog = ScenarioLoader.load(paths: [Paths.scenarios], relativeTo: Paths.scenarios)
        let report = SuiteRun(runner: ScenarioRunner(implementation: ReferenceImplementation.flawed(.firstCheckOnly)))
            .run(catalog, profiles: ["aip-chained"])
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("baton-html-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let page = dir.appendingPathComponent("report.html")
        try Data(HTMLReport.render(report).utf8).write(to: page)

        let dom = try Self.run(browser, ["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", page.absoluteString])
        #expect(dom.contains("attenuation/widening-behind-time-check"))
        #expect(dom.contains("class=\"agent no\"") || dom.contains("class=\"agent ok\""), "the chain diagram is in the rendered DOM")
        #expect(dom.contains("FAIL"))

        let shot = dir.appendingPathComponent("report.png")
        _ = try Self.run(browser, ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1280,1600",
                                   "--screenshot=\(shot.path)", page.absoluteString])
        let png = try Data(contentsOf: shot)
        #expect(png.count > 10_000, "a real screenshot was taken")
        #expect(Array(png.prefix(4)) == [0x89, 0x50, 0x4e, 0x47])
    }

    static func run(_ tool: String, _ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
