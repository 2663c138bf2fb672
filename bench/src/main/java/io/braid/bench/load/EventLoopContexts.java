package io.braid.bench.load;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * One context on each event loop of a Vert.x instance, so that load clients can be spread over every loop. Vert.x 5
 * gives a thread that is not its own one sticky context ({@code getOrCreateContext()} returns the same one each
 * time), so connections opened from the main thread would all share one loop; each instance of a deployment gets an
 * event loop of its own, in turn.
 */
final class EventLoopContexts {

  private EventLoopContexts() {
  }

  /** {@code eventLoops} contexts on distinct loops of {@code vertx}, which has that many. Blocking, bounded. */
  static List<Context> of(Vertx vertx, int eventLoops) throws Exception {
    return await(deploy(vertx, eventLoops));
  }

  /** {@link #of}, without blocking. */
  static Future<List<Context>> deploy(Vertx vertx, int eventLoops) {
    List<Context> contexts = new CopyOnWriteArrayList<>();
    return vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        contexts.add(context);
        return Future.succeededFuture();
      }
    }, new DeploymentOptions().setInstances(eventLoops)).map(id -> List.copyOf(contexts));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
