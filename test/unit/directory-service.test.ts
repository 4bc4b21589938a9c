import { expect } from "chai";
import { DirectoryService, type DirectorySource } from "../../src/partner-directory/directoryService.js";
import { sampleDirectory } from "../../src/partner-directory/sample.js";
import type { Partner } from "../../src/domain/partner.js";

/** A directory source that counts reads and answers when told to. */
class ControlledSource implements DirectorySource {
  reads = 0;
  private pending: Array<{ resolve: (p: Partner[]) => void; reject: (e: Error) => void }> = [];
  listAll(): Promise<Partner[]> {
    this.reads++;
    return new Promise((resolve, reject) => this.pending.push({ resolve, reject }));
  }
  answer(partners: Partner[]): void {
    this.pending.shift()!.resolve(partners);
  }
  fail(error: Error): void {
    this.pending.shift()!.reject(error);
  }
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("DirectoryService", () => {
  const partners = sampleDirectory();

  it("reads the directory once, however many searches arrive before it is loaded", async () => {
    const source = new ControlledSource();
    const service = new DirectoryService(source);
    const contoso = service.search({ keywords: "Contoso" });
    const northwind = service.get("northwind-managed-services");
    const everything = service.search({});
    await tick();
    expect(source.reads).to.equal(1);
    source.answer(partners);
    expect((await contoso).hits[0]?.partner.name).to.equal("Contoso Cloud Partners");
    expect((await northwind)?.name).to.equal("Northwind Managed Services");
    expect((await everything).total).to.equal(partners.length);
    await service.search({ location: "SE" });
    expect(source.reads).to.equal(1);
  });

  it("does not remember a failed load: the next search reads again", async () => {
    const source = new ControlledSource();
    const service = new DirectoryService(source);
    const failing = service.search({});
    await tick();
    source.fail(new Error("storage unreachable"));
    let caught: unknown;
    await failing.catch((error: unknown) => (caught = error));
    expect((caught as Error).message).to.equal("storage unreachable");
    const retry = service.search({});
    await tick();
    source.answer(partners.slice(0, 5));
    expect((await retry).total).to.equal(5);
    expect(source.reads).to.equal(2);
  });

  it("reloads after an import, answering from the old index until the new one is built", async () => {
    const source = new ControlledSource();
    const service = new DirectoryService(source);
    const first = service.search({});
    await tick();
    source.answer(partners.slice(0, 3));
    expect((await first).total).to.equal(3);

    const reloading = service.reload();
    await tick();
    expect((await service.search({})).total).to.equal(3, "searches during a reload use the current index");
    source.answer(partners);
    await reloading;
    expect((await service.search({})).total).to.equal(partners.length);
    expect(source.reads).to.equal(2);
  });

  it("keeps the current index when a reload fails", async () => {
    const source = new ControlledSource();
    const service = new DirectoryService(source);
    const first = service.search({});
    await tick();
    source.answer(partners.slice(0, 3));
    await first;
    const reloading = service.reload();
    await tick();
    source.fail(new Error("storage unreachable"));
    let caught: unknown;
    await reloading.catch((error: unknown) => (caught = error));
    expect(caught).to.be.instanceOf(Error);
    expect((await service.search({})).total).to.equal(3);
  });
});
