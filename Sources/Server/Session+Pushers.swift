import AccordCore
import AccordJSON
import Agreements
import EventStore
import NIOPosix
import WireProtocol

extension Session {
    /// Starts a subscription or watch: the response first, then its pushes.
    mutating func start(_ request: Request, _ slot: ResponseSlot, in group: inout DiscardingTaskGroup) async {
        do {
            let most = context.configuration.maxPushersPerConnection
            guard pushers.count < most else {
                throw WireError(.overloaded, "a connection may run at most \(most) subscriptions and watches; unsubscribe one first")
            }
            nextPusher += 1
            let name = (request.op == "subscribe" ? "s" : "w") + String(nextPusher)
            let control = PusherControl(wakeup: context.wakeups.register(), lag: context.metrics.subscriptionLag)
            let (metrics, activity) = (context.metrics, activity)
            if request.op == "subscribe" {
                let subscription = try subscription(request, name: name, control: control)
                pushers[name] = control
                group.addTask { [output] in
                    await slot.deliver(Response.ok(request.id, ["sub": .string(name), "from": .integer(Int64(subscription.from))]))
                    metrics.activePushers.add(1, ordering: .relaxed)
                    activity.pusherStarted()
                    await subscription.run(output)
                    activity.pusherEnded()
                    metrics.activePushers.subtract(1, ordering: .relaxed)
                }
            } else {
                let watch = try watch(request, name: name, control: control)
                // The first rows are a whole projection: read them off the shared threads (see `Answerer`).
                let (rows, position) = try await NIOThreadPool.singleton.runIfActive { try watch.snapshot() }
                pushers[name] = control
                group.addTask { [output] in
                    await slot.deliver(
                        Response.ok(request.id, ["watch": .string(name), "position": .integer(Int64(position)), "rows": .array(rows)]))
                    metrics.activePushers.add(1, ordering: .relaxed)
                    activity.pusherStarted()
                    await watch.run(from: position, output)
                    activity.pusherEnded()
                    metrics.activePushers.subtract(1, ordering: .relaxed)
                }
            }
        } catch {
            await slot.deliver(context.failure(request, error))
        }
    }

    private func subscription(_ request: Request, name: String, control: PusherControl) throws -> Subscription {
        let store = context.operations.store
        let from: Position
        switch request.members["from"] {
        case nil, .null?, .string("end")?: from = store.head
        case .string("start")?: from = 0
        case .integer(let p)? where p >= 0: from = Position(p)
        default: throw WireError.badRequest("from must be a position, \"start\" or \"end\"", field: "from")
        }
        let filter = try EventFilter(request, registry: context.operations.registry)
        return Subscription(
            id: name, store: store, filter: filter, from: from, chunk: context.configuration.subscriptionChunk, control: control,
            audit: context.audit, principal: principal)
    }

    private func watch(_ request: Request, name: String, control: PusherControl) throws -> Watch {
        let projection: Watch.Projection
        switch try request.string("projection") {
        case "register": projection = .register
        case "recipient": projection = .recipient(try request.string("recipientId"))
        case "law_enforcement_stats": projection = .statistics
        default:
            throw WireError.badRequest("projection must be \"register\", \"recipient\" or \"law_enforcement_stats\"", field: "projection")
        }
        let operations = context.operations
        return Watch(
            id: name, store: operations.store, registry: operations.registry, projection: projection,
            on: try operations.on(request), control: control)
    }
}
