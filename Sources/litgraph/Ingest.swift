import ArgumentParser
struct Ingest: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "(being built)")
    func run() throws { throw ValidationError("not built yet") }
}
