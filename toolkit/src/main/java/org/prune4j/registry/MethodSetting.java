package org.prune4j.registry;

/**
 * One setting that methods read besides the sparsity, as the command line, recipes and help show it: the
 * {@code --name} option, the label of its value and one line of help (defaults included). The methods'
 * builders hold the default values; the help line only states them.
 *
 * @param name  the option and recipe key, such as {@code interval}
 * @param label the value's label in help texts, such as {@code N}
 * @param help  one line: what it sets, for which methods, and its default
 */
public record MethodSetting(String name, String label, String help) {
}
