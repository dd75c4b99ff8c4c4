package dev.ferry.floor;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** One resource: what any served path adds to the bare framework. */
@Path("/hello")
public class Hello {
  @GET
  public String hello() {
    return "hello";
  }
}
