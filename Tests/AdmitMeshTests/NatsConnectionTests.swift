import AdmitMesh
import Foundation
import NatsTestSupport
import Testing

/// libnats against a real nats-server: the facts the mesh rests on.
@Suite(.serialized) struct NatsConnectionTests {
    func connected(_ server: NatsServer) throws -> NatsConnection {
        let connection = try NatsConnection(NatsOptions(servers: [server.url], name: "test"))
        #expect(waitUntil { connection.isConnected })
        return connection
    }

    @Test func aRepublishWithTheSameIDIsADuplicateWithTheSameSequence() throws {
        let server = try NatsServer.started()
        let connection = try connected(server)
        try connection.ensureStream(name: "S1", subjects: ["s1.>"], replicas: 1, duplicateWindowSeconds: 60)
        let first = try connection.publish(subject: "s1.a", data: Array("one".utf8), messageID: "scan-1")
        let again = try connection.publish(subject: "s1.a", data: Array("one".utf8), messageID: "scan-1")
        let other = try connection.publish(subject: "s1.b", data: Array("two".utf8), messageID: "scan-2")
        #expect(first == PublishAck(sequence: 1, duplicate: false))
        #expect(again == PublishAck(sequence: 1, duplicate: true))
        #expect(other.sequence == 2)
        #expect(try connection.streamState("S1") == StreamState(messages: 2, lastSequence: 2))
    }

    @Test func anOrderedSubscriptionReadsFromTheSequenceAsked() throws {
        let server = try NatsServer.started()
        let connection = try connected(server)
        try connection.ensureStream(name: "S2", subjects: ["s2.>"], replicas: 1, duplicateWindowSeconds: 60)
        for n in 1...5 { _ = try connection.publish(subject: "s2.g\(n % 2)", data: Array("m\(n)".utf8), messageID: "id-\(n)") }
        let subscription = try StreamSubscription(connection, stream: "S2", subjects: "s2.>", start: 3)
        var read: [StreamMessage] = []
        try waitUntil {
            if let message = try subscription.next(timeoutMilliseconds: 100) { read.append(message) }
            return read.count == 3
        }
        #expect(read.map(\.sequence) == [3, 4, 5])
        #expect(read.map { String(decoding: $0.data, as: UTF8.self) } == ["m3", "m4", "m5"])
        #expect(read[0].subject == "s2.g1")
        #expect(try subscription.next(timeoutMilliseconds: 50) == nil)
    }

    @Test func theFirstCreateWinsAndAnUpdateNeedsTheCurrentRevision() throws {
        let server = try NatsServer.started()
        let connection = try connected(server)
        let bucket = try KeyValueBucket(connection, name: "CLAIMS", replicas: 1)
        let revision = try bucket.create("t41", value: "north-1")
        #expect(throws: NatsError.self) { try bucket.create("t41", value: "south-2") }
        do {
            _ = try bucket.create("t41", value: "south-2")
        } catch {
            #expect(error.code == .keyExists)
        }
        #expect(try bucket.get("t41") == KeyValueEntry(value: "north-1", revision: revision))
        let next = try bucket.update("t41", value: "north-1 again", last: revision)
        do {
            _ = try bucket.update("t41", value: "late", last: revision)
            Issue.record("an update with a stale revision succeeded")
        } catch {
            #expect(error.code == .wrongRevision)
        }
        #expect(try bucket.get("t41")?.revision == next)
        #expect(try bucket.get("t42") == nil)
    }

    @Test func callsFailAsNotConnectedOrTimeoutWhileTheServerIsDown() throws {
        let server = try NatsServer.started()
        let connection = try connected(server)
        try connection.ensureStream(name: "S3", subjects: ["s3.>"], replicas: 1, duplicateWindowSeconds: 60)
        server.stop()
        #expect(waitUntil { !connection.isConnected })
        do {
            _ = try connection.publish(subject: "s3.a", data: [1], messageID: "x")
            Issue.record("a publish with the server down succeeded")
        } catch {
            #expect([NatsError.Code.notConnected, .timeout].contains(error.code), "\(error)")
        }
        try server.start()
        #expect(waitUntil { connection.isConnected })
        #expect(try connection.publish(subject: "s3.a", data: [1], messageID: "x").sequence == 1)
    }
}
