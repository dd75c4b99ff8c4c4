package dev.ferry.protocol.api;

import java.time.Instant;

/**
 * One change: an element of {@code GET /api/v1/audit}.
 *
 * @param id its number, increasing
 * @param at when
 * @param actor the token's name, or {@code hub} for the rollout engine's own steps
 * @param action what was done: the route ({@code POST /api/v1/rollouts/{id}/pause}) or an engine
 *     step ({@code rollout.wave-started})
 * @param target what it was done to: the request's path, or the rollout
 * @param details the outcome in a few words, or null
 */
public record AuditEntry(
    long id, Instant at, String actor, String action, String target, String details) {}
