import Dispatch
import Glibc
import PackCodec
import Testing
@testable import Timeline

/// The thread that works ahead of the user: what a front end queues while
/// it holds the thread off (a key until its frame is shown) starts after
/// the hold, and a reader that needs a held batch's blocks decodes them
/// itself instead of waiting for a thread that may not start.
@Suite struct BackgroundThreadTests {
    @Test("work queued under a hold starts once the hold is released, not before")
    func workWaitsForItsHold() {
        let ran = DispatchSemaphore(value: 0)
        BackgroundThread.holdingOff {
            BackgroundThread.holdingOff { BackgroundThread.run { ran.signal() } }
            #expect(ran.wait(timeout: .now() + .milliseconds(200)) == .timedOut, "the outer hold still holds it")
        }
        #expect(ran.wait(timeout: .now() + .seconds(10)) == .success)
    }

    @Test("a later hold does not keep back work queued under an earlier one, nor another thread's hold work queued without one")
    func aHoldDelaysOnlyItsOwnWork() {
        let ran = DispatchSemaphore(value: 0)
        BackgroundThread.holdingOff { BackgroundThread.run { ran.signal() } }
        BackgroundThread.holdingOff {
            #expect(ran.wait(timeout: .now() + .seconds(10)) == .success)
        }
        let holding = DispatchSemaphore(value: 0), letGo = DispatchSemaphore(value: 0), finished = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            BackgroundThread.holdingOff {
                holding.signal()
                _ = letGo.wait(timeout: .now() + .seconds(20))
            }
            finished.signal()
        }
        holding.wait()
        BackgroundThread.run { ran.signal() }
        #expect(ran.wait(timeout: .now() + .seconds(10)) == .success, "another thread's hold")
        letGo.signal()
        finished.wait()
    }

    @Test("a reader takes the blocks of a batch queued under its hold by decoding them itself, and finishes the rest without the background thread")
    func aHeldBatchIsDecodedByItsReader() {
        let (first, firstColumn) = DecodeAheadTests.block([1, 2]), (second, secondColumn) = DecodeAheadTests.block([3, 4])
        let decodedOn = Locked([pthread_t]())
        BackgroundThread.holdingOff {
            let batch = DecodeAhead([first, second], carrying: [:]) { block in
                decodedOn.withLock { $0.append(pthread_self()) }
                return block == first ? firstColumn : secondColumn
            }
            #expect(!batch.isFinished)
            #expect(batch.take([first.contentHash]).map(\.column) == [firstColumn])
            #expect(batch.remaining()[second.contentHash]?.column == secondColumn)
            #expect(batch.isFinished)
        }
        let threads = decodedOn.withLock { $0 }
        #expect(threads.count == 2 && threads.allSatisfy { pthread_equal($0, pthread_self()) != 0 })
    }
}
