import XCTest

@testable import Formats

final class TemplateLayoutTests: XCTestCase {
  func testCopierSubdirectorySuffixAndPlaceholders() throws {
    let paths = [
      "copier.yml", "README.md", "template/Dockerfile.jinja", "template/{{ module }}/__init__.py",
      "template/{{_copier_conf.answers_file}}.jinja", "template/{% if ci %}.gitlab-ci.yml{% endif %}",
      "template/{{ name|lower }}.txt", "template/{{ missing }}.txt", "template/.github/workflows/ci.yml",
      "template/__pycache__/x.pyc",
    ]
    let layout = try XCTUnwrap(
      TemplateLayout.detect(paths: paths, copierConfig: "_subdirectory: template\nmodule: {type: str}\n"))
    XCTAssertEqual(layout.kind, .copier)
    XCTAssertEqual(layout.root, "template")
    XCTAssertEqual(
      layout.projectFiles(paths, values: ["module": "billing", "name": "B"]),
      ["Dockerfile", "billing/__init__.py", ".github/workflows/ci.yml"])
  }

  func testCopierAtTheRootSkipsItsConfigAndHonoursExclude() throws {
    let paths = ["copier.yaml", "LICENSE", "docs/dev.md", "Makefile.tmpl", ".git-blame-ignore-revs"]
    let defaults = try XCTUnwrap(TemplateLayout.detect(paths: paths, copierConfig: "q: {type: str}\n"))
    XCTAssertEqual(
      defaults.projectFiles(paths, values: [:]), ["LICENSE", "docs/dev.md", "Makefile.tmpl", ".git-blame-ignore-revs"])
    let custom = try XCTUnwrap(
      TemplateLayout.detect(
        paths: paths, copierConfig: "_templates_suffix: .tmpl\n_exclude: [docs/, LICENSE, '!docs/keep.md']\n"))
    XCTAssertEqual(
      custom.projectFiles(paths + ["docs/keep.md"], values: [:]),
      ["Makefile", ".git-blame-ignore-revs", "docs/keep.md"])
  }

  func testCopierExcludesUseGitignoreCharacterClasses() throws {
    let paths = ["main.py", "cache.pyc", "cache.pyo", "notes1.md", "notes2.md", "notesA.md", "_draft.txt", "keep.txt"]
    let layout = try XCTUnwrap(
      TemplateLayout.detect(paths: paths, copierConfig: "_exclude: ['*.py[co]', 'notes[0-9].md', '[_]*']\n"))
    XCTAssertEqual(layout.projectFiles(paths, values: [:]), ["main.py", "notesA.md", "keep.txt"])
    let defaults = try XCTUnwrap(TemplateLayout.detect(paths: paths, copierConfig: "q: {type: str}\n"))
    XCTAssertEqual(
      defaults.projectFiles(paths, values: [:]),
      ["main.py", "notes1.md", "notes2.md", "notesA.md", "_draft.txt", "keep.txt"],
      "copier's own default excludes *.py[co]")
  }

  func testCopierSubdirectoryMayBeTemplated() {
    let paths = ["copier.yml", "python/setup.cfg", "go/go.mod"]
    let config = "_subdirectory: \"{{ language }}\"\n"
    XCTAssertEqual(
      TemplateLayout.detect(paths: paths, copierConfig: config, values: ["language": "go"])?.projectFiles(
        paths, values: [:]), ["go.mod"])
    XCTAssertNil(TemplateLayout.detect(paths: paths, copierConfig: config), "unanswered: the layout is unknown")
  }

  func testCookiecutterProjectFolder() throws {
    let paths = [
      "cookiecutter.json", "hooks/pre_gen_project.py", "README.md", "{{cookiecutter.slug}}/setup.cfg",
      "{{cookiecutter.slug}}/{{ cookiecutter.slug }}/app.py",
    ]
    let layout = try XCTUnwrap(TemplateLayout.detect(paths: paths, copierConfig: nil))
    XCTAssertEqual(layout.kind, .cookiecutter)
    XCTAssertEqual(
      layout.projectFiles(paths, values: ["cookiecutter.slug": "billing"]), ["setup.cfg", "billing/app.py"])
    let nested = paths.map { "python/" + $0 } + ["go/cookiecutter.json"]
    let inDirectory = try XCTUnwrap(TemplateLayout.detect(paths: nested, copierConfig: nil, directory: "python"))
    XCTAssertEqual(inDirectory.root, "python/{{cookiecutter.slug}}")
    XCTAssertEqual(inDirectory.projectFiles(nested, values: ["cookiecutter.slug": "b"]), ["setup.cfg", "b/app.py"])
    XCTAssertNil(TemplateLayout.detect(paths: ["cookiecutter.json", "a/b"], copierConfig: nil), "no project folder")
  }

  func testBackstageSkeletonAndPlainRepositories() throws {
    let backstage = ["template.yaml", "skeleton/catalog-info.yaml", "skeleton/${{ values.name }}.md", "README.md"]
    let skeleton = try XCTUnwrap(TemplateLayout.detect(paths: backstage, copierConfig: nil))
    XCTAssertEqual(skeleton.kind, .backstage)
    XCTAssertEqual(skeleton.projectFiles(backstage, values: [:]), ["catalog-info.yaml"])
    let plain = ["CODEOWNERS", ".github/workflows/ci.yml"]
    XCTAssertEqual(TemplateLayout.detect(paths: plain, copierConfig: nil)?.projectFiles(plain, values: [:]), Set(plain))
  }

  func testRenderFillsOnlyPlainNames() {
    XCTAssertEqual(TemplateLayout.render("{{a}}-{{ b.c }}.txt", values: ["a": "x", "b.c": "y"]), "x-y.txt")
    XCTAssertNil(TemplateLayout.render("{{ a | upper }}", values: ["a": "x"]))
    XCTAssertNil(TemplateLayout.render("{% raw %}x", values: [:]))
    XCTAssertNil(TemplateLayout.render("{{ a", values: ["a": "x"]))
    XCTAssertEqual(TemplateLayout.render("plain", values: [:]), "plain")
  }
}
