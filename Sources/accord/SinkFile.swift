/// `accord sink postgres --config FILE`: the same settings as the flags, as
/// one JSON object (flags win over the file). Secrets stay out of it: the
/// token comes from `ACCORD_TOKEN`, the PostgreSQL password from `PGPASSWORD`
/// (a systemd `EnvironmentFile`).
///
/// ```json
/// {"server": "127.0.0.1:7411", "postgres": "postgres://accord_sink@127.0.0.1:5432/reporting",
///  "schema": "accord", "metricsListen": "127.0.0.1:9412", "logLevel": "info"}
/// ```
struct SinkFile: Decodable {
    var server: String?
    var postgres: String?
    var schema: String?
    var includeLawEnforcementRequests: Bool?
    var maxBatch: Int?
    var metricsListen: String?
    var logLevel: String?
    var logFormat: String?

    static let keys: Set<String> = [
        "server", "postgres", "schema", "includeLawEnforcementRequests", "maxBatch", "metricsListen", "logLevel", "logFormat",
    ]
}
