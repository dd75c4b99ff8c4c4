package dev.ferry.agent.grpc;

import dev.ferry.agent.serve.ApiToken;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * The REST endpoint's bearer token ({@code ferry.agent.api-token-file}) for gRPC: every call needs
 * {@code authorization: Bearer <token>} except the health calls (ServerLive, ServerReady and the
 * standard {@code grpc.health.v1.Health}), as on REST; else UNAUTHENTICATED.
 */
@ApplicationScoped
@GlobalInterceptor
public class TokenInterceptor implements ServerInterceptor {
  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private static final Set<String> OPEN =
      Set.of(
          "inference.GRPCInferenceService/ServerLive",
          "inference.GRPCInferenceService/ServerReady");

  private final ApiToken token;

  TokenInterceptor(ApiToken token) {
    this.token = token;
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
    if (open(call.getMethodDescriptor().getFullMethodName())
        || token.admits(headers.get(AUTHORIZATION))) {
      return next.startCall(call, headers);
    }
    call.close(Status.UNAUTHENTICATED.withDescription(ApiToken.REFUSED), new Metadata());
    return new ServerCall.Listener<>() {};
  }

  private static boolean open(String method) {
    return OPEN.contains(method) || method.startsWith("grpc.health.v1.Health/");
  }
}
