package org.prune4j;

import ai.djl.ndarray.NDManager;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the tests that create NDArrays: a fresh base manager for each test, closed after it, so that no
 * test sees another's arrays and none outlives its test. JUnit runs these before and after a subclass's own
 * {@code @BeforeEach} / {@code @AfterEach} methods.
 */
public abstract class ManagedTest {

    /** The current test's manager. */
    protected NDManager manager;

    @BeforeEach
    void openManager() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }
}
