package dev.twostep.e2e;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One {@link Platform} for every end-to-end test class of the run: starting five services takes most of a minute,
 * so it happens once, and the platform stops when the run ends. Tests stay apart by using their own names.
 */
final class SharedPlatform implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Platform.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(Platform.class, key -> Platform.start(), Platform.class);
    }
}
