package dev.ferry.floor;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** One resource answering JSON through Jackson, as the agent's metadata routes do. */
@Path("/hello")
public class Hello {
  /** The answer. */
  public record Greeting(String text) {}

  @GET
  public Greeting hello() {
    return new Greeting("hello");
  }
}
