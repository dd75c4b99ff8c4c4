package dev.ferry.agent.serve;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ferry.protocol.release.Tensor;
import java.util.List;

/**
 * An infer answer.
 *
 * @param modelName the model
 * @param modelVersion the version that ran the request
 * @param id the request's id, if it had one
 * @param outputs the output tensors
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InferResponse(
    @JsonProperty("model_name") String modelName,
    @JsonProperty("model_version") String modelVersion,
    String id,
    List<Tensor> outputs) {}
