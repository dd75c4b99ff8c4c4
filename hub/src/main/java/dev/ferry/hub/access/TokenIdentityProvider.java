package dev.ferry.hub.access;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Turns a bearer token into an identity with its role and the roles that role includes. */
@ApplicationScoped
public class TokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {
  @Inject Tokens tokens;

  @Override
  public Class<TokenAuthenticationRequest> getRequestType() {
    return TokenAuthenticationRequest.class;
  }

  @Override
  public Uni<SecurityIdentity> authenticate(
      TokenAuthenticationRequest request, AuthenticationRequestContext context) {
    return context.runBlocking(
        () -> {
          TokenHolder holder =
              tokens
                  .authenticate(request.getToken().getToken())
                  .orElseThrow(() -> new AuthenticationFailedException("unknown token"));
          return QuarkusSecurityIdentity.builder()
              .setPrincipal(new QuarkusPrincipal(holder.name()))
              .addRoles(holder.role().granted())
              .build();
        });
  }
}
