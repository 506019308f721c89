import AccordClient
import AccordCore
import ArgumentParser
import CommandSupport
import Foundation
import ReportingSink

/// The one way out of every command: a sentence on standard error and an
/// `ExitStatus`, never a Swift or NIO type's own text.
extension Accord {
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            Foundation.exit(report(error))
        }
    }

    /// Prints why `error` ended the command and returns the status to exit with.
    static func report(_ error: any Error) -> Int32 {
        let (message, status) = explain(error)
        if let message, !message.isEmpty {
            let stream = status == .ok ? FileHandle.standardOutput : FileHandle.standardError
            stream.write(Data((message.hasSuffix("\n") ? message : message + "\n").utf8))
        }
        return (error as? ExitCode).map(\.rawValue) ?? status.rawValue
    }

    static func explain(_ error: any Error) -> (message: String?, status: ExitStatus) {
        switch error {
        case let exit as ExitCode:
            // Thrown after the command printed its own report (a failed check).
            return (nil, exit == .success ? .ok : .checkFailed)
        case let error as CommandError:
            return ("error: \(error.description)", error.status)
        case let error as ClientError:
            return ("error: \(error.description)", error.exitStatus)
        case let error as SinkError:
            switch error {
            case .mismatchedLog: return ("error: \(error.description)", .checkFailed)
            case .schemaTooNew, .configuration: return ("error: \(error.description)", .usage)
            case .busy, .disconnected: return ("error: \(error.description)", .noAnswer)
            }
        case let error as any CodedError:
            // Damaged storage found by a command that reads it offline is a failed check, not a usage error.
            return ("error: \(error.message)", error.code == .damaged ? .checkFailed : .usage)
        case let error as CocoaError:
            return ("error: \(error.localizedDescription)", .usage)
        default:
            switch exitCode(for: error) {
            case .success: return (fullMessage(for: error), .ok)
            case .validationFailure: return (fullMessage(for: error), .usage)
            default: return ("error: \(fullMessage(for: error))", .usage)
            }
        }
    }
}

extension ClientError {
    /// What a failure to get an answer means for the command's exit status.
    var exitStatus: ExitStatus {
        switch self {
        case .server(let code, _, _):
            switch code {
            case .badJSON, .badRequest, .unknownOp: .usage
            case .notFound, .wrongExpectedVersion, .invalidTransition, .eventIdConflict, .validationFailed, .damaged: .checkFailed
            default: .noAnswer
            }
        case .connectFailed, .connectionLost, .timedOut, .unexpectedAnswer: .noAnswer
        case .verificationFailed: .checkFailed
        case .usage: .usage
        }
    }
}
