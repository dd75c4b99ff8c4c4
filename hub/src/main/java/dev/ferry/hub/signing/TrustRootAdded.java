package dev.ferry.hub.signing;

import dev.ferry.protocol.signing.TrustRoot;

/**
 * A CDI event: a new trust root joined the chain and was published. Fired after its commit.
 *
 * @param root the new root, verified
 */
public record TrustRootAdded(TrustRoot root) {}
