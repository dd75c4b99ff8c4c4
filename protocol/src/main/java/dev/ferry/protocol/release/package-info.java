/**
 * What a release is made of: the signed in-toto release statement, the serving spec ({@code
 * serving.json}) and the golden vectors that travel in the artifact, and the naming rules of models
 * and versions.
 */
package dev.ferry.protocol.release;
