package io.braid.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium windows on the chat page (Debian's {@code chromium} and {@code chromium-driver}, named explicitly
 * so that nothing is downloaded), quit together; and what a test does and reads on the page. One test's thread.
 */
final class ChatBrowsers implements AutoCloseable {

  private final List<WebDriver> browsers = new ArrayList<>();

  /** A new browser window, on no page yet. */
  WebDriver open() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/lib/chromium/chromium");
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1100,700");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
    WebDriver driver = new ChromeDriver(service, options);
    browsers.add(driver);
    return driver;
  }

  /** A browser with the page of the chat on {@code port} open, logged in as {@code nick}, in {@code room}. */
  WebDriver chat(int port, String nick, String room) {
    WebDriver driver = open();
    driver.get("http://127.0.0.1:" + port + "/");
    driver.findElement(By.id("nick")).sendKeys(nick, Keys.ENTER);
    await(driver, d -> d.findElement(By.id("chat")).isDisplayed());
    joinRoom(driver, room);
    return driver;
  }

  /** A screenshot of every window, as {@code directory/name-i.png}. */
  void screenshots(Path directory, String name) throws IOException {
    for (int i = 0; i < browsers.size(); i++) {
      screenshot(browsers.get(i), directory.resolve(name + "-" + i + ".png"));
    }
  }

  @Override
  public void close() {
    for (WebDriver browser : browsers) {
      try {
        browser.quit();
      } catch (RuntimeException e) {
        // already closed by the test
      }
    }
    browsers.clear();
  }

  static void joinRoom(WebDriver driver, String room) {
    driver.findElement(By.id("room-name")).sendKeys(room, Keys.ENTER);
    await(driver, d -> d.findElement(By.id("room-title")).getText().equals(room));
  }

  static void send(WebDriver driver, String text) {
    driver.findElement(By.id("text")).sendKeys(text, Keys.ENTER);
  }

  /**
   * Each message as "nick text", with " state" for the browser's own; read in one script, since the page may render
   * the list again between two WebDriver calls.
   */
  @SuppressWarnings("unchecked")
  static List<String> messages(WebDriver driver) {
    return (List<String>) ((JavascriptExecutor) driver).executeScript("return [...document.querySelectorAll("
        + "'#messages li')].map(li => { const line = li.querySelector('.nick').textContent + ' '"
        + " + li.querySelector('.text').textContent; const state = li.querySelector('.state');"
        + " return state ? line + ' ' + state.textContent : line; });");
  }

  @SuppressWarnings("unchecked")
  static List<String> members(WebDriver driver) {
    return (List<String>) ((JavascriptExecutor) driver).executeScript(
        "return [...document.querySelectorAll('#members li')].map(li => li.textContent);");
  }

  static void awaitMessages(WebDriver driver, String... expected) {
    await(driver, d -> messages(d).equals(List.of(expected)));
  }

  static void await(WebDriver driver, Function<WebDriver, Boolean> condition) {
    new WebDriverWait(driver, Duration.ofSeconds(15)).until(condition::apply);
  }

  static void screenshot(WebDriver driver, Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
    Files.copy(shot.toPath(), file, StandardCopyOption.REPLACE_EXISTING);
  }
}
