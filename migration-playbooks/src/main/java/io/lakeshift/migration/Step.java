package io.lakeshift.migration;

/**
 * One step of a transition. Running a step that has run already changes nothing, so a transition
 * interrupted anywhere can be run again from its first unfinished step.
 */
record Step(String name, String description, Action action) {

    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }

    @Override
    public String toString() {
        return name + ": " + description;
    }
}
