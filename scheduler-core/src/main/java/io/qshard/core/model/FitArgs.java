package io.qshard.core.model;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A tier's arguments for its resource fit filter ({@code TierResourceFit}), as kube-scheduler 1.20's
 * {@code NodeResourcesFitArgs}: extended resources the filter does not check. Only extended resources (a domain
 * outside {@code kubernetes.io/}, {@link ResourceNames#isExtended}) can be ignored — cpu, memory, ephemeral-storage and
 * hugepages never are — and qshard's own {@link ResourceNames#BATCH_CPU}/{@link ResourceNames#BATCH_MEMORY}, the
 * batch and free tiers' pool accounting, are never ignored either (naming them is an error). Validated as 1.20's
 * {@code validateFitArgs}: every entry a qualified name, a group without {@code '/'}. Immutable.
 *
 * @param ignoredResources      extended resource names the filter skips, e.g. {@code example.com/foo}
 * @param ignoredResourceGroups resource groups (the part before {@code '/'}) whose extended resources the filter skips,
 *                              e.g. {@code example.com}
 */
public record FitArgs(List<String> ignoredResources, List<String> ignoredResourceGroups) {
    /** kube-scheduler's default: no ignored resources. */
    public static final List<String> DEFAULT_IGNORED_RESOURCES = List.of();
    /** kube-scheduler's default: no ignored resource groups. */
    public static final List<String> DEFAULT_IGNORED_RESOURCE_GROUPS = List.of();
    /** The defaults: every resource the pod requests is checked. */
    public static final FitArgs DEFAULTS = new FitArgs(DEFAULT_IGNORED_RESOURCES, DEFAULT_IGNORED_RESOURCE_GROUPS);

    private static final String QUALIFIED_NAME = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private static final Pattern NAME_PART = Pattern.compile(QUALIFIED_NAME);
    private static final String DNS1123_SUBDOMAIN = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
    private static final Pattern PREFIX_PART = Pattern.compile(DNS1123_SUBDOMAIN);
    private static final String NAME_MESSAGE = "must consist of alphanumeric characters, '-', '_' or '.', and must"
            + " start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used"
            + " for validation is '" + QUALIFIED_NAME + "')";

    public FitArgs {
        ignoredResources = List.copyOf(ignoredResources);
        ignoredResourceGroups = List.copyOf(ignoredResourceGroups);
        for (int i = 0; i < ignoredResources.size(); i++) {
            String problem = resourceProblem(ignoredResources.get(i));
            if (problem != null) {
                throw new IllegalArgumentException("ignoredResources[" + i + "]: " + problem);
            }
        }
        for (int i = 0; i < ignoredResourceGroups.size(); i++) {
            String problem = groupProblem(ignoredResourceGroups.get(i));
            if (problem != null) {
                throw new IllegalArgumentException("ignoredResourceGroups[" + i + "]: " + problem);
            }
        }
    }

    /** What is wrong with {@code name} as an entry of {@code ignoredResources}, or null when it is valid. */
    public static String resourceProblem(String name) {
        if (ResourceNames.BATCH_CPU.equals(name) || ResourceNames.BATCH_MEMORY.equals(name)) {
            return "'" + name + "' is qshard's batch pool accounting and cannot be ignored";
        }
        return qualifiedNameProblem(name);
    }

    /** What is wrong with {@code group} as an entry of {@code ignoredResourceGroups}, or null when it is valid. */
    public static String groupProblem(String group) {
        if (group.contains("/")) {
            return "'" + group + "': resource group name can't contain '/'";
        }
        return qualifiedNameProblem(group);
    }

    /** apimachinery's {@code IsQualifiedName} (what {@code ValidateLabelName} checks), messages joined; null: valid. */
    static String qualifiedNameProblem(String value) {
        List<String> errors = new ArrayList<>();
        String[] parts = value.split("/", -1);
        String name;
        if (parts.length == 1) {
            name = parts[0];
        } else if (parts.length == 2) {
            String prefix = parts[0];
            name = parts[1];
            if (prefix.isEmpty()) {
                errors.add("prefix part must be non-empty");
            } else if (prefix.length() > 253) {
                errors.add("prefix part must be no more than 253 characters");
            } else if (!PREFIX_PART.matcher(prefix).matches()) {
                errors.add("prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric"
                        + " characters, '-' or '.', and must start and end with an alphanumeric character (e.g."
                        + " 'example.com', regex used for validation is '" + DNS1123_SUBDOMAIN + "')");
            }
        } else {
            return "'" + value + "': a qualified name " + NAME_MESSAGE
                    + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";
        }
        if (name.isEmpty()) {
            errors.add("name part must be non-empty");
        } else if (name.length() > 63) {
            errors.add("name part must be no more than 63 characters");
        }
        if (!NAME_PART.matcher(name).matches()) {
            errors.add("name part " + NAME_MESSAGE);
        }
        return errors.isEmpty() ? null : "'" + value + "': " + String.join("; ", errors);
    }
}
