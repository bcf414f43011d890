/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.orchestrator.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParseResult;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.CallableDeclaration;
import com.github.javaparser.ast.body.Parameter;
import com.github.javaparser.ast.body.TypeDeclaration;
import com.github.javaparser.ast.expr.BinaryExpr;
import com.github.javaparser.ast.expr.ConditionalExpr;
import com.github.javaparser.ast.stmt.CatchClause;
import com.github.javaparser.ast.stmt.DoStmt;
import com.github.javaparser.ast.stmt.ForEachStmt;
import com.github.javaparser.ast.stmt.ForStmt;
import com.github.javaparser.ast.stmt.IfStmt;
import com.github.javaparser.ast.stmt.SwitchEntry;
import com.github.javaparser.ast.stmt.WhileStmt;

/**
 * Measures non-test Java sources with JavaParser: Javadoc coverage of the public API and the cyclomatic complexity
 * of every method and constructor.
 * <p>
 * Complexity is 1 plus one for each {@code if}, {@code for}, enhanced {@code for}, {@code while}, {@code do},
 * non-default {@code case} label (each label of a multi-label case counts), {@code catch}, conditional
 * {@code ?:}, {@code &&} and {@code ||} in the body. Decision points inside a lambda count towards the enclosing
 * method; those inside a method of a local or anonymous class count towards that method only.
 * <p>
 * Not thread-safe: one instance per analysis. Keeps one record per method measured.
 */
final class JavaSourceMetrics
{
    private final JavaParser parser = new JavaParser(
        new ParserConfiguration().setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_25));
    private final int maxUndocumentedListed;
    private final int complexityListed;
    private final List<RepositoryAnalysis.ApiMember> undocumented = new ArrayList<>();
    private final List<RepositoryAnalysis.MethodComplexity> complex = new ArrayList<>();
    private int documented;
    private int apiTotal;
    private int methods;
    private int maxComplexity;
    private long complexitySum;

    /**
     * @param maxUndocumentedListed how many undocumented members to list.
     * @param complexityListed      methods at or above this complexity are listed.
     */
    JavaSourceMetrics(final int maxUndocumentedListed, final int complexityListed)
    {
        this.maxUndocumentedListed = maxUndocumentedListed;
        this.complexityListed = complexityListed;
    }

    /**
     * Parses one source file and adds its measurements.
     *
     * @param relativePath the file, relative to the root, for the listings.
     * @param text         its content.
     * @return null when parsed, otherwise the first problem the parser reported.
     */
    String add(final String relativePath, final String text)
    {
        final ParseResult<CompilationUnit> result = parser.parse(text);
        if (!result.isSuccessful() || result.getResult().isEmpty())
        {
            return result.getProblems().isEmpty() ? "unparseable" : result.getProblem(0).getVerboseMessage();
        }
        final CompilationUnit unit = result.getResult().get();
        for (final TypeDeclaration<?> type : unit.findAll(TypeDeclaration.class))
        {
            if (isPublicApi(type))
            {
                countDoc(type.getJavadocComment().isPresent(), typeName(type), relativePath, type);
                for (final CallableDeclaration<?> callable : type.getMembers().stream()
                    .filter(CallableDeclaration.class::isInstance).map(m -> (CallableDeclaration<?>)m).toList())
                {
                    if (callable.isPublic() || (isInterface(type) && !callable.isPrivate()))
                    {
                        countDoc(callable.getJavadocComment().isPresent(), signature(type, callable),
                            relativePath, callable);
                    }
                }
            }
        }
        for (final CallableDeclaration<?> callable : unit.findAll(CallableDeclaration.class))
        {
            final int complexity = complexity(callable);
            methods++;
            complexitySum += complexity;
            maxComplexity = Math.max(maxComplexity, complexity);
            if (complexity >= complexityListed)
            {
                final Node type = nearestAncestor(callable, TypeDeclaration.class);
                final String owner = type == null ? "?" : typeName((TypeDeclaration<?>)type);
                complex.add(new RepositoryAnalysis.MethodComplexity(
                    member(owner + "#" + callableName(callable), relativePath, callable), complexity));
            }
        }
        return null;
    }

    RepositoryAnalysis.ApiDocs apiDocs()
    {
        return new RepositoryAnalysis.ApiDocs(documented, apiTotal, undocumented);
    }

    RepositoryAnalysis.Complexity complexity()
    {
        final List<RepositoryAnalysis.MethodComplexity> sorted = complex.stream()
            .sorted(Comparator.comparingInt(RepositoryAnalysis.MethodComplexity::complexity).reversed()).toList();
        return new RepositoryAnalysis.Complexity(methods, maxComplexity,
            methods == 0 ? 0.0 : (double)complexitySum / methods, sorted);
    }

    /**
     * The cyclomatic complexity of one method or constructor, as defined in the class comment.
     *
     * @param callable the declaration.
     * @return at least 1.
     */
    static int complexity(final CallableDeclaration<?> callable)
    {
        int decisions = 0;
        for (final Node node : callable.findAll(Node.class, n -> n != callable && ownedBy(n, callable)))
        {
            decisions += switch (node)
            {
                case IfStmt _, ForStmt _, ForEachStmt _, WhileStmt _, DoStmt _, CatchClause _, ConditionalExpr _ -> 1;
                case SwitchEntry entry -> entry.isDefault() && entry.getLabels().isEmpty() ? 0 :
                    (int)entry.getLabels().stream().filter(l -> !l.isNullLiteralExpr()).count();
                case BinaryExpr binary -> binary.getOperator() == BinaryExpr.Operator.AND ||
                    binary.getOperator() == BinaryExpr.Operator.OR ? 1 : 0;
                default -> 0;
            };
        }
        return 1 + decisions;
    }

    private static boolean ownedBy(final Node node, final CallableDeclaration<?> callable)
    {
        return nearestAncestor(node, CallableDeclaration.class) == callable;
    }

    /** Like {@code Node.findAncestor}, without its generic varargs (an unchecked warning for generic node types). */
    private static Node nearestAncestor(final Node node, final Class<?> type)
    {
        Node ancestor = node.getParentNode().orElse(null);
        while (ancestor != null && !type.isInstance(ancestor))
        {
            ancestor = ancestor.getParentNode().orElse(null);
        }
        return ancestor;
    }

    private void countDoc(final boolean hasJavadoc, final String signature, final String file, final Node node)
    {
        apiTotal++;
        if (hasJavadoc)
        {
            documented++;
        }
        else if (undocumented.size() < maxUndocumentedListed)
        {
            undocumented.add(member(signature, file, node));
        }
    }

    /** A public top-level type, or a nested type that is public (implicitly so in an interface) in one. */
    private static boolean isPublicApi(final TypeDeclaration<?> type)
    {
        final Node parent = type.getParentNode().orElse(null);
        if (parent instanceof CompilationUnit)
        {
            return type.isPublic();
        }
        if (parent instanceof TypeDeclaration<?> enclosing)
        {
            return (type.isPublic() || (isInterface(enclosing) && !type.isPrivate())) && isPublicApi(enclosing);
        }
        return false;
    }

    private static boolean isInterface(final TypeDeclaration<?> type)
    {
        return type.isAnnotationDeclaration() ||
            (type.isClassOrInterfaceDeclaration() && type.asClassOrInterfaceDeclaration().isInterface());
    }

    private static String typeName(final TypeDeclaration<?> type)
    {
        return type.getFullyQualifiedName().orElse(type.getNameAsString());
    }

    private static String signature(final TypeDeclaration<?> type, final CallableDeclaration<?> callable)
    {
        return typeName(type) + "#" + callableName(callable);
    }

    private static String callableName(final CallableDeclaration<?> callable)
    {
        return callable.getNameAsString() + callable.getParameters().stream().map(JavaSourceMetrics::parameterType)
            .collect(Collectors.joining(", ", "(", ")"));
    }

    private static String parameterType(final Parameter parameter)
    {
        return parameter.getType().asString() + (parameter.isVarArgs() ? "..." : "");
    }

    private static RepositoryAnalysis.ApiMember member(final String signature, final String file, final Node node)
    {
        return new RepositoryAnalysis.ApiMember(signature, file, node.getBegin().map(p -> p.line).orElse(0));
    }
}
