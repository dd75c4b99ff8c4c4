package dev.ferry.floor;

import dev.ferry.floor.v1.Ping.PingReply;
import dev.ferry.floor.v1.Ping.PingRequest;
import dev.ferry.floor.v1.PingerGrpc;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;

/** One gRPC service, so that the server starts as the agent's does. */
@GrpcService
public class PingService extends PingerGrpc.PingerImplBase {
  @Override
  public void ping(PingRequest request, StreamObserver<PingReply> reply) {
    reply.onNext(PingReply.newBuilder().setText(request.getText()).build());
    reply.onCompleted();
  }
}
