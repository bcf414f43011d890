/*
 * Copyright 2025 Switchboard contributors.
 */
package dev.switchboard.cli;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.switchboard.codecs.JvmFlags;
import dev.switchboard.testing.ChildJvm;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The live status page in a real headless browser (Debian's {@code chromium}, driven through its
 * {@code chromium-driver} by Selenium; nothing is downloaded): {@code switchboard router} and two agent processes run,
 * the page opens on the router's monitoring port, shows the router and the agents with their tiers, and its numbers
 * change between two reads as the agents' traffic goes on, pushed by server-sent events. A screenshot is saved as
 * {@code target/status-page.png}.
 *
 * <p>Needs {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} ({@code apt-get install chromium
 * chromium-driver}; {@code .ci/run} installs them): without them the test fails, saying so. It never skips.
 */
@Tag("slow")
class StatusPageBrowserTest
{
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Pattern ADDRESS = Pattern.compile("status page on (http://127\\.0\\.0\\.1:\\d+/)");
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    static void requireChromium()
    {
        assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER), "the status page test runs " +
            "Debian's chromium through chromium-driver, and " + (Files.isExecutable(CHROMIUM) ? "" : CHROMIUM + " ") +
            (Files.isExecutable(CHROMEDRIVER) ? "" : CHROMEDRIVER + " ") + "is missing: apt-get install chromium " +
            "chromium-driver (.ci/run installs both)");
    }

    static WebDriver headlessChromium(final Path dir)
    {
        // Selenium Manager is never needed (driver and browser are named below); if it were asked, it stays offline.
        System.setProperty("SE_OFFLINE", "true");
        final ChromeDriverService service = new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .withLogFile(dir.resolve("chromedriver.log").toFile())
            .build();
        final ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--window-size=1280,1500", "--user-data-dir=" + dir.resolve("chromium-profile"));
        return new ChromeDriver(service, options);
    }

    private List<String> properties()
    {
        return List.of("-Dswitchboard.runtime.dir=" + dir.resolve("runtime"),
            "-Dswitchboard.shm.dir=" + dir.resolve("runtime").resolve("shm"));
    }

    @Test
    void thePageShowsTheRouterAndAgentsAndItsNumbersMoveWithTheirTraffic() throws Exception
    {
        requireChromium();
        final List<String> routerOptions = new ArrayList<>(JvmFlags.router());
        routerOptions.addAll(properties());
        routerOptions.add("-Dswitchboard.metrics.port=0");
        // the success metrics it serves are those of a metrics file of this test's, not the user's
        try (ChildJvm router = ChildJvm.builder(Main.class).jvmOptions(routerOptions).args("router")
            .environment("SWITCHBOARD_METRICS_FILE", dir.resolve("metrics.jsonl").toString())
            .output(dir, "router").start())
        {
            final String base = address(router);
            try (ChildJvm receiver = ChildJvm.builder(Main.class).jvmOptions(properties())
                .args("agent", "--name", "receiver", "--topic", "prices").output(dir, "receiver").start())
            {
                receiver.await(() -> receiver.stdoutText().contains("agent receiver registered"), "receiver registered");
                try (ChildJvm publisher = ChildJvm.builder(PacedPublisherMain.class)
                    .args(dir.resolve("runtime").toString(), "publisher", "prices", "receiver", "20")
                    .output(dir, "publisher").start())
                {
                    publisher.await(() -> publisher.stdoutText().contains("registered"), "publisher registered");
                    browse(base, router);
                }
            }
        }
    }

    private static String address(final ChildJvm router)
    {
        final long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline)
        {
            final Matcher address = ADDRESS.matcher(router.readLine(WAIT));
            if (address.find())
            {
                return address.group(1);
            }
        }
        throw new AssertionError("the router said no status page address; " + router.describe());
    }

    /**
     * What the page shows now, read in one script so that a re-render in between cannot mix two snapshots: the
     * summary figures and each process row's role, name, delivered count and tier chips, as their text reads.
     */
    private static final String READ_PAGE = """
        const text = id => document.getElementById(id).textContent;
        return {
          sequence: text("sequence"), sent: text("summary-sent"), routed: text("summary-fanout"),
          connection: text("connection"), router: text("router"),
          rows: Array.from(document.querySelectorAll("#processes tbody tr[data-role]")).map(row => ({
            role: row.dataset.role, name: row.dataset.name,
            delivered: row.querySelector(".delivered").textContent,
            tiers: Array.from(row.querySelectorAll(".chip")).map(chip => chip.textContent)}))
        };""";

    /** One read of the page. */
    private record Page(long sequence, long sent, long routed, String connection, String router,
        List<Map<String, Object>> rows)
    {
        @SuppressWarnings("unchecked")
        static Page read(final WebDriver browser)
        {
            final Map<String, Object> page = (Map<String, Object>)((JavascriptExecutor)browser).executeScript(READ_PAGE);
            return new Page(parse(page.get("sequence")), parse(page.get("sent")), parse(page.get("routed")),
                String.valueOf(page.get("connection")), String.valueOf(page.get("router")),
                (List<Map<String, Object>>)page.get("rows"));
        }

        Map<String, Object> row(final String role, final String name)
        {
            return rows.stream().filter(r -> role.equals(r.get("role")) && (name == null || name.equals(r.get("name"))))
                .findFirst().orElse(null);
        }

        long delivered(final String role, final String name)
        {
            final Map<String, Object> row = row(role, name);
            return row == null ? -1 : parse(row.get("delivered"));
        }
    }

    private void browse(final String base, final ChildJvm router) throws Exception
    {
        final WebDriver browser = headlessChromium(dir);
        try
        {
            browser.get(base);
            assertEquals("Switchboard status", browser.getTitle());
            final WebDriverWait wait = new WebDriverWait(browser, WAIT, Duration.ofMillis(200));
            wait.withMessage(() -> "the page never showed the router and both agents with traffic; page:\n" +
                browser.findElement(By.tagName("main")).getText() + "\n" + router.describe());
            final Page first = wait.until(b ->
            {
                final Page page = Page.read(b);
                return page.row("router", null) != null && page.row("agent", "receiver") != null &&
                    page.row("agent", "publisher") != null && page.sent() > 0 && page.routed() > 0 ? page : null;
            });
            assertEquals("live", first.connection());

            Thread.sleep(3_000); // the traffic goes on meanwhile; the page is pushed a snapshot a second
            wait.withMessage(() -> "the numbers did not move from " + first + "; page:\n" +
                browser.findElement(By.tagName("main")).getText());
            final Page later = wait.until(b ->
            {
                final Page page = Page.read(b);
                return page.sent() > first.sent() && page.routed() > first.routed() &&
                    page.delivered("agent", "receiver") > first.delivered("agent", "receiver") &&
                    page.sequence() > first.sequence() + 1 ? page : null;
            });

            final String receiverTiers = String.valueOf(later.row("agent", "receiver").get("tiers"));
            assertTrue(receiverTiers.contains("CRITICAL") && receiverTiers.contains("NORMAL"),
                "the receiver got CRITICAL sends and NORMAL publishes: " + receiverTiers);
            assertTrue(later.router().contains("accepting agents"), later.router());
            screenshot(browser);
        }
        finally
        {
            browser.quit();
        }
    }

    private static void screenshot(final WebDriver browser) throws Exception
    {
        final File shot = ((TakesScreenshot)browser).getScreenshotAs(OutputType.FILE);
        final Path target = Path.of("target", "status-page.png");
        Files.createDirectories(target.getParent());
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        assertTrue(Files.size(target) > 10_000, "screenshot " + target.toAbsolutePath());
    }

    /** A number as the page shows it ("1,234"); -1 for a dash (not known yet). */
    private static long parse(final Object text)
    {
        final String digits = String.valueOf(text).replace(",", "").strip();
        return digits.matches("\\d+") ? Long.parseLong(digits) : -1;
    }
}
